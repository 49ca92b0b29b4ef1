package pra

import (
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// writeProvider writes a SecurityProvider; extended adds the fields every
// type-specific schema shares (ExtendedSecurityProvider), which is all a
// single provider shows: Gatehouse keeps no type-specific settings.
func writeProvider(j *httpx.JSON, p *directory.SecurityProvider, extended bool) {
	j.Object()
	j.Int("id", p.ID)
	j.String("type", string(p.Type))
	j.String("name", p.Name)
	j.Bool("enabled", p.Enabled)
	j.Bool("user_authentication", p.UserAuthentication)
	j.Bool("group_lookup", p.GroupLookup)
	if extended {
		j.Int("priority", int64(p.Priority))
		j.Int("default_policy", p.DefaultPolicyID) // 0: none, as the schema's minimum allows
	}
	j.EndObject()
}

func (a *api) listProviders(c *call) error {
	return list(c, nil, a.dir.SecurityProviders, func(j *httpx.JSON, p *directory.SecurityProvider) {
		writeProvider(j, p, false)
	})
}

func (a *api) getProvider(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	p, err := a.dir.SecurityProvider(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeProvider(j, &p, true) })
}
