package config

// ConformConfig is the conform section: inputs only `xaa conform --idp`
// uses, each enabling the cases that need it. None is required; a case
// whose input is missing is skipped, naming the key.
type ConformConfig struct {
	// OtherClientID and OtherClientSecret are a second client at the IdP
	// (client_secret_basic): the cases that present this client's subject
	// tokens authenticated as another client.
	OtherClientID     string `yaml:"other_client_id,omitempty"`
	OtherClientSecret Secret `yaml:"other_client_secret,omitempty"`
	// UnassignedUser is a user who may log in to the requesting app but is
	// not assigned to the resource app: the run logs in a second time as
	// this user (login_hint) and asks for an ID-JAG the IdP must refuse.
	UnassignedUser string `yaml:"unassigned_user,omitempty"`
	// ExpiredIDToken is an ID token the IdP issued to the client earlier
	// and that has expired since; never printed.
	ExpiredIDToken Secret `yaml:"expired_id_token,omitempty"`
}

// OtherClient is the second client's registration at the IdP, beside
// idp (same issuer and endpoints); its ClientID is empty when unset.
func (c ConformConfig) OtherClient(idp ClientConfig) ClientConfig {
	if c.OtherClientID == "" {
		return ClientConfig{}
	}
	return ClientConfig{Issuer: idp.Issuer, ClientID: c.OtherClientID, ClientSecret: c.OtherClientSecret,
		AuthMethod: AuthClientSecretBasic, TokenEndpoint: idp.TokenEndpoint}
}
