package inspect

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"
)

// marshalViaStruct is how Analysis.MarshalJSON used to write the JSON:
// encoding/json over a struct. The hand-written encoder must agree with it.
func marshalViaStruct(a Analysis) ([]byte, error) {
	t := a.Token
	out := struct {
		Name       string      `json:"name,omitempty"`
		For        string      `json:"for,omitempty"`
		Kind       Kind        `json:"kind"`
		KindReason string      `json:"kind_reason"`
		Format     string      `json:"format"`
		Token      string      `json:"token,omitempty"`
		Header     Object      `json:"header"`
		Claims     Object      `json:"claims"`
		Times      []TimeClaim `json:"times,omitempty"`
		Signature  Signature   `json:"signature"`
		Checks     Report      `json:"checks"`
		Problems   []Problem   `json:"problems,omitempty"`
		Notes      []string    `json:"notes,omitempty"`
	}{
		Name: t.Name, For: a.For, Kind: t.Kind, KindReason: t.KindReason, Format: t.Format.String(),
		Header: t.Header, Claims: t.Claims, Times: a.Times, Signature: a.Signature,
		Checks: a.Checks, Problems: t.Problems, Notes: t.Notes,
	}
	if a.Reveal {
		out.Token = t.Raw
	}
	return json.Marshal(out)
}

// TestAnalysisJSONMatchesEncodingJSON: the same JSON as encoding/json
// writes (after its compaction, which is what every caller gets), for
// claims with spaces, HTML characters, line separators and escapes, with
// and without the raw token, from a token response (name, notes).
func TestAnalysisJSONMatchesEncodingJSON(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	claims := []string{
		`{"iss":"https://idp.example.com","sub":"alice","exp":1800000000,"iat":1799999700}`,
		"{ \"iss\" : \"https://idp.example.com\",\n \"aud\": [ \"a\", \"b\" ], \"x\": { \"y\" : [1, 2.5e3, null, true] } }",
		`{"name":"<script>alert(1)</script> & more","sep":"a` + "\u2028" + `b` + "\u2029" + `c","esc":"\u003c\"\\\/"}`,
		`{"é":"ü","emoji":"😀","ctl":"\t"}`,
	}
	for i, c := range claims {
		raw := enc([]byte(`{"alg":"RS256","typ":"oauth-id-jag+jwt","kid":"k<1>"}`)) + "." + enc([]byte(c)) + "." + enc(make([]byte, 256))
		for _, input := range []string{raw, `{"access_token":"` + raw + `","token_type":"N_A","note":"<&>"}`} {
			toks, err := DecodeAll(input)
			if err != nil {
				t.Fatalf("claims %d: %v", i, err)
			}
			for _, reveal := range []bool{false, true} {
				a := Analyze(toks[0], Options{Expect: Expect{Now: time.Unix(1_800_000_000, 0)}})
				a.Reveal = reveal
				if reveal {
					a.For = "the <MCP> server"
				}
				got, err := a.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				want, _ := marshalViaStruct(a)
				var compacted bytes.Buffer
				if err := json.Compact(&compacted, got); err != nil {
					t.Fatalf("claims %d: invalid JSON: %v\n%s", i, err, got)
				}
				if !bytes.Equal(compacted.Bytes(), want) {
					t.Errorf("claims %d, reveal %v:\n got %s\nwant %s", i, reveal, compacted.Bytes(), want)
				}
				// Embedded in other JSON, encoding/json compacts it to the same bytes.
				viaMarshal, _ := json.Marshal(a)
				if !bytes.Equal(viaMarshal, want) {
					t.Errorf("claims %d, reveal %v, via json.Marshal:\n got %s\nwant %s", i, reveal, viaMarshal, want)
				}
			}
		}
	}
}
