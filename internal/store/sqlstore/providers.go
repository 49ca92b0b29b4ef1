package sqlstore

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// providerFields are the columns a create sets, in providerValues order.
var providerFields = []string{"type", "name", "enabled", "user_authentication", "group_lookup", "priority", "default_policy_id"}

var providerCols = "p.id, " + qualify("p", providerFields)

var providersList = &listSpec{cols: providerCols, from: "security_providers p", attrs: attrColumns{}, id: "p.id"}

var (
	stProvider       = newStmt("SELECT " + providerCols + " FROM security_providers p WHERE p.id = ?")
	stInsertProvider = newStmt(insertSQL("security_providers", providerFields) + " RETURNING id")
)

func providerValues(p *directory.SecurityProvider) []any {
	return []any{string(p.Type), p.Name, p.Enabled, p.UserAuthentication, p.GroupLookup, int64(p.Priority), p.DefaultPolicyID}
}

func scanProvider(sc scanner) (directory.SecurityProvider, error) {
	var (
		p        directory.SecurityProvider
		typ      string
		priority int64
	)
	err := sc.Scan(&p.ID, &typ, &p.Name, &p.Enabled, &p.UserAuthentication, &p.GroupLookup, &priority, &p.DefaultPolicyID)
	p.Type, p.Priority = directory.ProviderType(typ), int(priority)
	return p, err
}

func (r reader) SecurityProvider(ctx context.Context, id int64) (directory.SecurityProvider, error) {
	return get(ctx, r, stProvider, "security provider", scanProvider, id)
}

func (r reader) SecurityProviders(ctx context.Context, q directory.Query) (directory.Page[directory.SecurityProvider], error) {
	return list(ctx, r, providersList, 0, q, scanProvider)
}

func (t *tx) CreateSecurityProvider(ctx context.Context, p *directory.SecurityProvider) error {
	return t.q.QueryRow(ctx, t.sql(stInsertProvider), providerValues(p)...).Scan(&p.ID)
}
