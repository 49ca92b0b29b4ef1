package directory

// Set marks a field of a change: Present false leaves the stored value alone,
// which is how PATCH-style faces say "not mentioned". Full-replace faces
// (public v3 PUT, SCIM PUT) set every field, using defaults for omissions.
type Set[T any] struct {
	Present bool
	Value   T
}

// To returns a present Set holding v.
func To[T any](v T) Set[T] { return Set[T]{Present: true, Value: v} }

// apply writes s into *dst when present.
func (s Set[T]) apply(dst *T) {
	if s.Present {
		*dst = s.Value
	}
}
