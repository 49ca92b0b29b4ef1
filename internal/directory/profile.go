package directory

import "unicode/utf8"

// Profile is what identity providers say about a person beyond the
// directory's own fields (SCIM's core User attributes and its enterprise
// extension). It is kept whole and shown back as it was given; no rule
// and no filter reads inside it.
type Profile struct {
	NameFormatted     string     `json:"name_formatted,omitempty"`
	MiddleName        string     `json:"middle_name,omitempty"`
	HonorificPrefix   string     `json:"honorific_prefix,omitempty"`
	HonorificSuffix   string     `json:"honorific_suffix,omitempty"`
	NickName          string     `json:"nick_name,omitempty"`
	ProfileURL        string     `json:"profile_url,omitempty"`
	Title             string     `json:"title,omitempty"`
	UserType          string     `json:"user_type,omitempty"`
	PreferredLanguage string     `json:"preferred_language,omitempty"`
	Timezone          string     `json:"timezone,omitempty"`
	Emails            []Contact  `json:"emails,omitempty"` // besides the user's Email
	PhoneNumbers      []Contact  `json:"phone_numbers,omitempty"`
	Addresses         []Address  `json:"addresses,omitempty"`
	Enterprise        Enterprise `json:"enterprise,omitzero"`
}

// Contact is an e-mail address or phone number with its kind.
type Contact struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Display string `json:"display,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// Address is a postal address with its kind.
type Address struct {
	Formatted     string `json:"formatted,omitempty"`
	StreetAddress string `json:"street_address,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postal_code,omitempty"`
	Country       string `json:"country,omitempty"`
	Type          string `json:"type,omitempty"`
	Primary       bool   `json:"primary,omitempty"`
}

// Enterprise is SCIM's enterprise User extension.
type Enterprise struct {
	EmployeeNumber     string `json:"employee_number,omitempty"`
	CostCenter         string `json:"cost_center,omitempty"`
	Organization       string `json:"organization,omitempty"`
	Division           string `json:"division,omitempty"`
	Department         string `json:"department,omitempty"`
	ManagerID          string `json:"manager_id,omitempty"`
	ManagerDisplayName string `json:"manager_display_name,omitempty"`
}

// Limits on a profile, so that no client can make a user row unbounded.
const (
	MaxProfileText  = 1024
	MaxProfileItems = 20
)

// FieldProfile is the Problems key of profile rules.
const FieldProfile = "profile"

func (p *Profile) validate(pr Problems) {
	texts := []string{p.NameFormatted, p.MiddleName, p.HonorificPrefix, p.HonorificSuffix, p.NickName, p.ProfileURL,
		p.Title, p.UserType, p.PreferredLanguage, p.Timezone, p.Enterprise.EmployeeNumber, p.Enterprise.CostCenter,
		p.Enterprise.Organization, p.Enterprise.Division, p.Enterprise.Department, p.Enterprise.ManagerID,
		p.Enterprise.ManagerDisplayName}
	for _, c := range append(append([]Contact{}, p.Emails...), p.PhoneNumbers...) {
		texts = append(texts, c.Value, c.Type, c.Display)
	}
	for _, a := range p.Addresses {
		texts = append(texts, a.Formatted, a.StreetAddress, a.Locality, a.Region, a.PostalCode, a.Country, a.Type)
	}
	if len(p.Emails) > MaxProfileItems || len(p.PhoneNumbers) > MaxProfileItems || len(p.Addresses) > MaxProfileItems {
		pr.Add(FieldProfile, "may hold at most 20 e-mail addresses, phone numbers and addresses of each kind")
	}
	for _, s := range texts {
		if utf8.RuneCountInString(s) > MaxProfileText {
			pr.Add(FieldProfile, MsgMaxLen(MaxProfileText))
			return
		}
		for _, r := range s {
			if r == 0 {
				pr.Add(FieldProfile, "may not contain NUL characters")
				return
			}
		}
	}
}
