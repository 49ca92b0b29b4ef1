package scim

import (
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/scim/patch"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// groupsOfUserLimit bounds the groups a User shows; a user in more groups
// than a page holds is a modelling mistake, not a workload.
const groupsOfUserLimit = directory.MaxPageSize

// scimTime writes a time as xsd:dateTime in UTC, as RFC 7643's examples do.
func scimTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// userDoc is a user as a SCIM User. groups, when not nil, are the groups
// it is a direct member of.
func userDoc(base string, u *directory.User, groups []directory.Group) map[string]any {
	p := &u.Profile
	doc := map[string]any{
		attrSchemas:   []any{schema.UserURN},
		attrID:        itoa(u.ID),
		"userName":    u.Username,
		"active":      u.Enabled,
		"displayName": u.DisplayName,
	}
	setStr(doc, attrExternalID, u.ExternalID)
	name := map[string]any{}
	setStr(name, "formatted", p.NameFormatted)
	setStr(name, "familyName", u.LastName)
	setStr(name, "givenName", u.FirstName)
	setStr(name, "middleName", p.MiddleName)
	setStr(name, "honorificPrefix", p.HonorificPrefix)
	setStr(name, "honorificSuffix", p.HonorificSuffix)
	if len(name) > 0 {
		doc["name"] = name
	}
	setStr(doc, "nickName", p.NickName)
	setStr(doc, "profileUrl", p.ProfileURL)
	setStr(doc, "title", p.Title)
	setStr(doc, "userType", p.UserType)
	setStr(doc, "preferredLanguage", p.PreferredLanguage)
	setStr(doc, "locale", u.Locale)
	setStr(doc, "timezone", p.Timezone)

	var emails []any
	if u.Email != "" {
		emails = append(emails, map[string]any{"value": u.Email, "type": "work", "primary": true})
	}
	for _, e := range p.Emails {
		emails = append(emails, contactDoc(e, false))
	}
	if len(emails) > 0 {
		doc["emails"] = emails
	}
	if len(p.PhoneNumbers) > 0 {
		phones := make([]any, len(p.PhoneNumbers))
		for i, ph := range p.PhoneNumbers {
			phones[i] = contactDoc(ph, true)
		}
		doc["phoneNumbers"] = phones
	}
	if len(p.Addresses) > 0 {
		addrs := make([]any, len(p.Addresses))
		for i, ad := range p.Addresses {
			m := map[string]any{}
			setStr(m, "formatted", ad.Formatted)
			setStr(m, "streetAddress", ad.StreetAddress)
			setStr(m, "locality", ad.Locality)
			setStr(m, "region", ad.Region)
			setStr(m, "postalCode", ad.PostalCode)
			setStr(m, "country", ad.Country)
			setStr(m, "type", ad.Type)
			if ad.Primary {
				m["primary"] = true
			}
			addrs[i] = m
		}
		doc["addresses"] = addrs
	}
	if groups != nil {
		list := make([]any, len(groups))
		for i, g := range groups {
			list[i] = map[string]any{"value": itoa(g.ID), "$ref": base + "/Groups/" + itoa(g.ID), "display": g.Name, "type": "direct"}
		}
		doc["groups"] = list
	}
	if ent := enterpriseDoc(base, &p.Enterprise); ent != nil {
		doc[schema.EnterpriseURN] = ent
		doc[attrSchemas] = []any{schema.UserURN, schema.EnterpriseURN}
	}
	doc[attrMeta] = map[string]any{
		"resourceType": "User",
		"created":      scimTime(u.CreatedAt),
		"lastModified": scimTime(u.UpdatedAt),
		"location":     base + "/Users/" + itoa(u.ID),
		"version":      weakTag(u.Version),
	}
	return doc
}

func enterpriseDoc(base string, e *directory.Enterprise) map[string]any {
	m := map[string]any{}
	setStr(m, "employeeNumber", e.EmployeeNumber)
	setStr(m, "costCenter", e.CostCenter)
	setStr(m, "organization", e.Organization)
	setStr(m, "division", e.Division)
	setStr(m, "department", e.Department)
	if e.ManagerID != "" || e.ManagerDisplayName != "" {
		mgr := map[string]any{}
		setStr(mgr, "value", e.ManagerID)
		setStr(mgr, "displayName", e.ManagerDisplayName)
		if _, ok := parseID(e.ManagerID); ok {
			mgr["$ref"] = base + "/Users/" + e.ManagerID
		}
		m["manager"] = mgr
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

func contactDoc(c directory.Contact, withPrimary bool) map[string]any {
	m := map[string]any{"value": c.Value}
	setStr(m, "type", c.Type)
	setStr(m, "display", c.Display)
	if withPrimary && c.Primary {
		m["primary"] = true
	}
	return m
}

func setStr(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// Accessors of a normalized document: values have their attributes'
// types, so a failed assertion only means "not given".
func getStr(m map[string]any, k string) string { s, _ := m[k].(string); return s }
func getMap(m map[string]any, k string) map[string]any {
	v, _ := m[k].(map[string]any)
	return v
}
func getList(m map[string]any, k string) []map[string]any {
	list, _ := m[k].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		if item, ok := v.(map[string]any); ok {
			out = append(out, item)
		}
	}
	return out
}

// userChange maps a normalized User onto a directory change that replaces
// every field SCIM shows (POST, PUT, and PATCH once its operations are
// applied). Two fields keep the directory's value when the document leaves
// them out: displayName (the directory derives one from the names when a
// user is created without it) and active (a new user is active, and a PUT
// that forgets active cannot enable a deactivated user). A locale left out
// is the directory's default, as for a new user. password is ignored:
// passwords are not managed over SCIM (changePassword is false), and Okta
// sends one in POST and PUT when password sync is on.
func userChange(doc map[string]any) (directory.UserChange, error) {
	var ch directory.UserChange
	var invalid []error
	if userName := getStr(doc, "userName"); userName == "" {
		invalid = append(invalid, badRequest(typeInvalidValue, "The userName attribute is required."))
	} else {
		ch.Username = directory.To(userName)
	}
	ch.ExternalID = directory.To(getStr(doc, attrExternalID))
	name := getMap(doc, "name")
	ch.FirstName = directory.To(getStr(name, "givenName"))
	ch.LastName = directory.To(getStr(name, "familyName"))
	if dn := getStr(doc, "displayName"); dn != "" {
		ch.DisplayName = directory.To(dn)
	}
	if active, ok := doc["active"].(bool); ok {
		ch.Enabled = directory.To(active)
	}
	locale := getStr(doc, "locale")
	if locale == "" {
		locale = directory.DefaultLocale
	}
	ch.Locale = directory.To(locale)

	p := directory.Profile{
		NameFormatted:     getStr(name, "formatted"),
		MiddleName:        getStr(name, "middleName"),
		HonorificPrefix:   getStr(name, "honorificPrefix"),
		HonorificSuffix:   getStr(name, "honorificSuffix"),
		NickName:          getStr(doc, "nickName"),
		ProfileURL:        getStr(doc, "profileUrl"),
		Title:             getStr(doc, "title"),
		UserType:          getStr(doc, "userType"),
		PreferredLanguage: getStr(doc, "preferredLanguage"),
		Timezone:          getStr(doc, "timezone"),
	}
	email, others, err := splitEmails(getList(doc, "emails"))
	if err != nil {
		invalid = append(invalid, err)
	} else {
		ch.Email = directory.To(email)
	}
	p.Emails = others
	for _, ph := range getList(doc, "phoneNumbers") {
		p.PhoneNumbers = append(p.PhoneNumbers, contact(ph))
	}
	addrs := getList(doc, "addresses")
	invalid = append(invalid, onePrimary("phoneNumbers", getList(doc, "phoneNumbers")), onePrimary("addresses", addrs))
	for _, ad := range addrs {
		primary, _ := ad["primary"].(bool)
		p.Addresses = append(p.Addresses, directory.Address{Formatted: getStr(ad, "formatted"),
			StreetAddress: getStr(ad, "streetAddress"), Locality: getStr(ad, "locality"), Region: getStr(ad, "region"),
			PostalCode: getStr(ad, "postalCode"), Country: getStr(ad, "country"), Type: getStr(ad, "type"), Primary: primary})
	}
	if ent := getMap(doc, schema.EnterpriseURN); ent != nil {
		mgr := getMap(ent, "manager")
		p.Enterprise = directory.Enterprise{EmployeeNumber: getStr(ent, "employeeNumber"), CostCenter: getStr(ent, "costCenter"),
			Organization: getStr(ent, "organization"), Division: getStr(ent, "division"), Department: getStr(ent, "department"),
			ManagerID: getStr(mgr, "value"), ManagerDisplayName: getStr(mgr, "displayName")}
	}
	ch.Profile = directory.To(p)
	return ch, invalidValues(invalid...)
}

func contact(m map[string]any) directory.Contact {
	primary, _ := m["primary"].(bool)
	return directory.Contact{Value: getStr(m, "value"), Type: getStr(m, "type"), Display: getStr(m, "display"), Primary: primary}
}

// onePrimary enforces RFC 7643 §2.4: "primary" is true for at most one
// value of a multi-valued attribute.
func onePrimary(attr string, items []map[string]any) error {
	n := 0
	for _, it := range items {
		if p, _ := it["primary"].(bool); p {
			n++
		}
	}
	if n > 1 {
		return badRequest(typeInvalidValue, "At most one of the "+attr+" may be primary.")
	}
	return nil
}

// splitEmails picks the user's e-mail address (the directory's one, which
// every face shows): the primary one, else the first of type work, else
// the first. The others are kept in the profile.
func splitEmails(items []map[string]any) (string, []directory.Contact, error) {
	if err := onePrimary("emails", items); err != nil {
		return "", nil, err
	}
	var withValue []map[string]any
	for _, it := range items {
		if getStr(it, "value") != "" {
			withValue = append(withValue, it)
		}
	}
	if len(withValue) == 0 {
		return "", nil, nil
	}
	pick := -1
	for i, it := range withValue {
		if p, _ := it["primary"].(bool); p {
			pick = i
			break
		}
	}
	if pick < 0 {
		for i, it := range withValue {
			if strings.EqualFold(getStr(it, "type"), "work") {
				pick = i
				break
			}
		}
	}
	if pick < 0 {
		pick = 0
	}
	var others []directory.Contact
	for i, it := range withValue {
		if i != pick {
			c := contact(it)
			c.Primary = false
			others = append(others, c)
		}
	}
	return getStr(withValue[pick], "value"), others, nil
}

// readUserBody reads a POST or PUT body: a User whose readOnly attributes
// (id, meta, groups) are ignored (RFC 7644 §3.3, §3.5.1).
func (c *call) readUserBody() (directory.UserChange, error) {
	body, err := c.body()
	if err != nil {
		return directory.UserChange{}, err
	}
	if err := checkSchemas(body, schema.UserResource); err != nil {
		return directory.UserChange{}, err
	}
	doc, typeErr := normalize(body, schema.UserResource)
	if doc == nil {
		return directory.UserChange{}, typeErr
	}
	ch, err := userChange(doc)
	if typeErr == nil && err == nil {
		return ch, nil // the directory checks its rules
	}
	return ch, invalidValues(typeErr, err, ch.Validate().Err())
}

// userGroups lists the groups a user is a direct member of.
func (a *api) userGroups(c *call, id int64) ([]directory.Group, error) {
	page, err := a.dir.UserGroups(c.ctx(), id, directory.Query{Limit: groupsOfUserLimit, NoTotal: true})
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// showUser writes a user as the request's attributes and
// excludedAttributes shape it.
func (a *api) showUser(c *call, status int, u *directory.User) error {
	proj, err := c.projection(a.users)
	if err != nil {
		return err
	}
	var groups []directory.Group
	if proj.wants("groups") {
		if groups, err = a.userGroups(c, u.ID); err != nil {
			return err
		}
	}
	doc := proj.apply(userDoc(c.base(), u, groups), a.users.res)
	if status == http.StatusCreated {
		return c.created(doc, c.base()+"/Users/"+itoa(u.ID), u.Version)
	}
	return c.resource(status, doc, u.Version)
}

// userID reads the path id of a user; one that cannot exist is a 404.
func (c *call) userID() (int64, error) {
	id, ok := parseID(c.r.PathValue("id"))
	if !ok {
		return 0, notFound("User not found.")
	}
	return id, nil
}

func (a *api) getUser(c *call) error {
	id, err := c.userID()
	if err != nil {
		return err
	}
	u, err := a.dir.User(c.ctx(), id)
	if err != nil {
		return err
	}
	if c.notModified(u.Version) {
		return nil
	}
	return a.showUser(c, http.StatusOK, &u)
}

// createUser is POST /Users. The user's source is SCIM: its security
// provider is the SCIM provider, created with the first SCIM user.
func (a *api) createUser(c *call) error {
	ch, err := c.readUserBody()
	if err != nil {
		return err
	}
	u, err := a.dir.CreateUser(c.ctx(), directory.NewUser{Source: directory.SourceSCIM, UserChange: ch})
	if err != nil {
		return err
	}
	return a.showUser(c, http.StatusCreated, &u)
}

// replaceUser is PUT /Users/{id}: a full replace of what SCIM shows.
func (a *api) replaceUser(c *call) error {
	id, err := c.userID()
	if err != nil {
		return err
	}
	ifVersion, err := c.ifMatch()
	if err != nil {
		return err
	}
	ch, err := c.readUserBody()
	if err != nil {
		return err
	}
	u, err := a.dir.UpdateUser(c.ctx(), id, ch, ifVersion)
	if err != nil {
		return err
	}
	return a.showUser(c, http.StatusOK, &u)
}

// patchUser is PATCH /Users/{id}: the operations are applied to the user's
// SCIM representation, which then replaces the user as a PUT would, in one
// write conditional on the version read. Without If-Match, a write that
// loses a race with another is retried on the new version.
func (a *api) patchUser(c *call) error {
	id, err := c.userID()
	if err != nil {
		return err
	}
	ifVersion, err := c.ifMatch()
	if err != nil {
		return err
	}
	body, err := c.rawBody()
	if err != nil {
		return err
	}
	ops, err := patch.Parse(body)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		u, err := a.dir.User(c.ctx(), id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifVersion, u.Version); err != nil {
			return err
		}
		doc := userDoc(c.base(), &u, nil)
		patched, err := applyPatch(doc, ops, schema.UserResource)
		if err != nil {
			return err
		}
		ch, err := userChange(patched)
		if err != nil {
			return err
		}
		u, err = a.dir.UpdateUser(c.ctx(), id, ch, u.Version)
		if directory.IsKind(err, directory.KindPrecondition) && ifVersion == 0 {
			if attempt < maxPatchAttempts {
				continue
			}
			return errRaced
		}
		if err != nil {
			return err
		}
		return a.showUser(c, http.StatusOK, &u)
	}
}

// maxPatchAttempts bounds the retries of a PATCH without If-Match that
// keeps losing races with concurrent writers; then it is a 409, for the
// client to retry, since it named no version that could be stale.
const maxPatchAttempts = 3

var errRaced = &scimError{status: http.StatusConflict,
	detail: "The resource was changed by other requests at the same time as this one; retry."}

func (a *api) deleteUser(c *call) error {
	id, err := c.userID()
	if err != nil {
		return err
	}
	ifVersion, err := c.ifMatch()
	if err != nil {
		return err
	}
	if err := a.dir.DeleteUserIf(c.ctx(), id, ifVersion); err != nil {
		return err
	}
	return c.noContent()
}
