package filter

import (
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// BenchmarkCompile measures a SCIM filter from text to a directory.Expr:
// what every filtered SCIM list pays before the store sees it. The store's
// SQL compilation is BenchmarkFilterSQL in internal/store/sqlstore.
func BenchmarkCompile(b *testing.B) {
	for _, f := range []string{
		`userName eq "user77777"`,
		`emails[type eq "work" and value co "@bench.example"] and active eq true and not (name.familyName sw "O")`,
	} {
		b.Run(f[:8], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compile(f, schema.UserResource, UserTargets); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
