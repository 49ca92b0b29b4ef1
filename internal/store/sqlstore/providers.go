package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// providerFields are the columns a create sets, in providerValues order.
var providerFields = []string{"type", "name", "enabled", "user_authentication", "group_lookup", "priority", "default_policy_id",
	"directory", "bind_password"}

var providerCols = "p.id, " + qualify("p", providerFields)

var providersList = &listSpec{cols: providerCols, from: "security_providers p", attrs: attrColumns{}, id: "p.id"}

var (
	stProvider       = newStmt("SELECT " + providerCols + " FROM security_providers p WHERE p.id = ?")
	stInsertProvider = newStmt(insertSQL("security_providers", providerFields) + " RETURNING id")
)

// directoryJSON is how the directory column stores directory.DirectorySettings:
// explicit names, so that renaming a domain field cannot change what is
// stored, and no bind password, which has a column of its own.
type directoryJSON struct {
	Kind             directory.Source `json:"kind"`
	Domain           string           `json:"domain"`
	Host             string           `json:"host"`
	Port             int              `json:"port"`
	UseSSL           bool             `json:"use_ssl"`
	BaseDN           string           `json:"base_dn"`
	AccountAttribute string           `json:"account_attribute"`
	BindUser         string           `json:"bind_user"`
}

// directoryValues stores nil settings as NULL, and no bind password as an
// empty string.
func directoryValues(d *directory.DirectorySettings) (settings any, bindPassword string) {
	if d == nil {
		return nil, ""
	}
	return jsonText(directoryJSON{d.Kind, d.Domain, d.Host, d.Port, d.UseSSL, d.BaseDN, d.AccountAttribute, d.BindUser}),
		d.BindPassword
}

func decodeDirectory(settings sql.NullString, bindPassword string) (*directory.DirectorySettings, error) {
	if !settings.Valid {
		return nil, nil
	}
	var j directoryJSON
	if err := json.Unmarshal([]byte(settings.String), &j); err != nil {
		return nil, err
	}
	return &directory.DirectorySettings{Kind: j.Kind, Domain: j.Domain, Host: j.Host, Port: j.Port, UseSSL: j.UseSSL,
		BaseDN: j.BaseDN, AccountAttribute: j.AccountAttribute, BindUser: j.BindUser, BindPassword: bindPassword}, nil
}

func providerValues(p *directory.SecurityProvider) []any {
	settings, bindPassword := directoryValues(p.Directory)
	return []any{string(p.Type), p.Name, p.Enabled, p.UserAuthentication, p.GroupLookup, int64(p.Priority), p.DefaultPolicyID,
		settings, bindPassword}
}

func scanProvider(sc scanner) (directory.SecurityProvider, error) {
	var (
		p                 directory.SecurityProvider
		typ, bindPassword string
		priority          int64
		settings          sql.NullString
	)
	err := sc.Scan(&p.ID, &typ, &p.Name, &p.Enabled, &p.UserAuthentication, &p.GroupLookup, &priority, &p.DefaultPolicyID,
		&settings, &bindPassword)
	if err != nil {
		return p, err
	}
	p.Type, p.Priority = directory.ProviderType(typ), int(priority)
	p.Directory, err = decodeDirectory(settings, bindPassword)
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
