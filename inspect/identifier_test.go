package inspect_test

import (
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"
)

func TestCompareIdentifier(t *testing.T) {
	tests := []struct {
		want, got string
		equal     bool
		near      string
	}{
		{"https://as.example.com", "https://as.example.com", true, ""},
		{"https://as.example.com", "https://as.example.com/", false, "has a trailing slash"},
		{"http://localhost:5001/", "http://localhost:5001", false, "lacks the trailing slash"},
		{"https://as.example.com", "http://as.example.com", false, "differs in scheme (http instead of https)"},
		{"https://as.example.com", "https://AS.example.com", false, "letter case"},
		{"https://as.example.com", "https://as.example.com:443", false, "explicit port"},
		{"https://as.example.com", " https://as.example.com", false, "whitespace"},
		{"https://as.example.com", "https://as.example.com/oauth2/v1/token", false, "token endpoint URL"},
		{"https://acme.okta.com", "https://acme.okta.com/oauth2/default", false, "same host, different path (/oauth2/default instead of no path)"},
		{"https://as.example.com", "https://other.example.com", false, ""},
		{"client-a", "client-b", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.want+" vs "+tt.got, func(t *testing.T) {
			equal, near := inspect.CompareIdentifier(tt.want, tt.got)
			if equal != tt.equal || !strings.Contains(near, tt.near) || (tt.near == "" && near != "") {
				t.Errorf("CompareIdentifier = %v, %q; want %v, %q", equal, near, tt.equal, tt.near)
			}
		})
	}
}

func TestHumanTimes(t *testing.T) {
	tests := []struct {
		claim string
		d     time.Duration
		want  string
	}{
		{"exp", 4*time.Minute + 12*time.Second, "expires in 4m12s"},
		{"exp", -3 * time.Hour, "expired 3h ago"},
		{"exp", -(26*time.Hour + 5*time.Minute), "expired 1d2h ago"},
		{"iat", -90 * time.Second, "issued 1m30s ago"},
		{"iat", 5 * time.Second, "issued 5s in the future"},
		{"nbf", time.Minute, "not valid for another 1m"},
		{"nbf", -time.Minute, "valid since 1m ago"},
		{"auth_time", -2 * time.Minute, "user authenticated 2m ago"},
		{"updated_at", -400 * 24 * time.Hour, "1y35d ago"},
		{"exp", 0, "expired 0s ago"},
	}
	for _, tt := range tests {
		if got := inspect.DescribeTime(tt.claim, now.Add(tt.d), now); got != tt.want {
			t.Errorf("DescribeTime(%s, %v) = %q, want %q", tt.claim, tt.d, got, tt.want)
		}
	}
	if got := inspect.FormatTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))); got != "2026-01-02 02:04:05 UTC" {
		t.Errorf("FormatTime = %q", got)
	}
}
