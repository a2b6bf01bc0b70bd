package flow

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/wire"
)

// State is what the steps hand on to each other: metadata, keys and tokens.
// Tokens here are credentials in full; reports never print a State.
type State struct {
	// IdP and AS are the authorization servers' metadata, IdPKeys and
	// ASKeys their key sets.
	IdP, AS         *wire.Metadata
	IdPKeys, ASKeys *wire.JWKS
	// API and MCP are the protected resource metadata of resource.api_url
	// and resource.mcp_url, when published.
	API, MCP *wire.ResourceMetadata

	// IDToken and RefreshToken come from the login; Nonce is the nonce the
	// ID token must carry.
	IDToken, RefreshToken, Nonce string
	// RefreshTokenKept says RefreshToken is kept between runs (Runner.Kept):
	// a refusal of it forgets it.
	RefreshTokenKept bool
	// SubjectToken and SubjectTokenType, when set, are the token exchange's
	// subject instead of the ID token (a pasted token, --from token_exchange).
	SubjectToken, SubjectTokenType string
	// IDJAG is the token exchange's result (or a given one); IDJAGChecked
	// says the token exchange step already analysed it.
	IDJAG        string
	IDJAGChecked bool
	// MCPIDJAG is the MCP server's own ID-JAG when it and the API each have
	// their own resource identifier (see target); empty otherwise.
	MCPIDJAG string
	// AudienceRequested is the audience the token exchange asked for: the
	// jwt-bearer step tells an IdP that wrote another aud from a request
	// that asked for the wrong one.
	AudienceRequested string
	// AccessToken and AccessTokenType are the jwt-bearer grant's result.
	AccessToken, AccessTokenType string
	// MCPAccessToken is the MCP server's own access token, got with
	// MCPIDJAG; empty: AccessToken serves both.
	MCPAccessToken string
}

// Overrides change the request parameters of one step: a value replaces
// the parameter, an empty value removes it. Login overrides are
// authorization request parameters; the token steps' are form parameters.
type Overrides map[string]string

// StepOverrides are overrides for several steps.
type StepOverrides map[StepID]Overrides

// Add sets one override. A key "step.param" targets one step
// ("jwt_bearer.scope"); a bare "param" targets every step that takes it,
// except that a bare "scope" means the resource's scopes (token exchange
// and jwt-bearer): the login's are "login.scope". The error names the
// parameters that exist.
func (so StepOverrides) Add(key, value string) error {
	if stepName, param, ok := strings.Cut(key, "."); ok {
		id, err := ParseStepID(stepName)
		if err != nil {
			return fmt.Errorf("--set %s: %w", key, err)
		}
		if !slices.Contains(paramNames(id), param) {
			if len(paramNames(id)) == 0 {
				return fmt.Errorf("--set %s: the %s step takes no parameters", key, id)
			}
			return fmt.Errorf("--set %s: the %s step takes %s", key, id, strings.Join(paramNames(id), ", "))
		}
		so.add(id, param, value)
		return nil
	}
	found := false
	for _, id := range Steps() {
		if id == StepLogin && key == "scope" {
			continue
		}
		if slices.Contains(paramNames(id), key) {
			so.add(id, key, value)
			found = true
		}
	}
	if !found {
		var all []string
		for _, id := range Steps() {
			all = append(all, paramNames(id)...)
		}
		sort.Strings(all)
		all = slices.Compact(all)
		msg := fmt.Sprintf("--set %s: unknown parameter; use one of %s, a step-qualified one (jwt_bearer.scope), or a config key (resource_as.issuer)", key, strings.Join(all, ", "))
		if near := config.Nearest(key, all); near != "" {
			msg += "; did you mean " + near + "?"
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

func (so StepOverrides) add(id StepID, k, v string) {
	if so[id] == nil {
		so[id] = Overrides{}
	}
	so[id][k] = v
}

// merged returns o with more on top.
func (o Overrides) merged(more Overrides) Overrides {
	if len(o) == 0 && len(more) == 0 {
		return nil
	}
	out := Overrides{}
	for k, v := range o {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// keys returns the keys in order, for notes.
func (o Overrides) keys() []string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
