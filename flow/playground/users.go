package playground

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

// User is a demo user of the embedded IdP. The passwords are public on
// purpose: the login page shows them.
type User struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	// Subject is the user's sub at the IdP (an Okta-style 00u… id with
	// the Okta profile).
	Subject string `json:"sub"`
	// AssignedToRequestingApp: the user may log in to the demo requesting
	// app. AssignedToResourceApp: the IdP issues ID-JAGs for the user.
	// ProvisionedAtResource: the resource AS maps the user's sub to a
	// local account.
	AssignedToRequestingApp bool `json:"assigned_to_requesting_app"`
	AssignedToResourceApp   bool `json:"assigned_to_resource_app"`
	ProvisionedAtResource   bool `json:"provisioned_at_resource"`
	// Outcome says what happens when a flow runs as this user.
	Outcome string `json:"outcome"`
}

// DemoUsernames are the demo users' names, for completion and messages.
func DemoUsernames() []string {
	var names []string
	for _, u := range demoUsers(false) {
		names = append(names, u.Username)
	}
	return names
}

// demoUsers are the users of every playground: one for whom the whole flow
// works and one that each of steps 1, 2 and 3 refuses.
func demoUsers(okta bool) []*User {
	users := []*User{
		{Username: "alice", Password: "alice-demo", Name: "Alice Anderson", Email: "alice@example.com",
			AssignedToRequestingApp: true, AssignedToResourceApp: true, ProvisionedAtResource: true,
			Outcome: "every step succeeds"},
		{Username: "bob", Password: "bob-demo", Name: "Bob Brown", Email: "bob@example.com",
			AssignedToRequestingApp: true,
			Outcome:                 "the token exchange is refused: not assigned to the resource app"},
		{Username: "carol", Password: "carol-demo", Name: "Carol Clark", Email: "carol@example.com",
			Outcome: "login is refused: not assigned to the requesting app"},
		{Username: "dave", Password: "dave-demo", Name: "Dave Davis", Email: "dave@example.com",
			AssignedToRequestingApp: true, AssignedToResourceApp: true,
			Outcome: "the jwt-bearer grant is refused: no account at the resource app"},
	}
	for _, u := range users {
		u.Subject = subjectFor(u.Username, okta)
	}
	return users
}

// subjectFor derives a stable sub: "usr_alice", or an Okta user id
// ("00u" and 17 characters) with the Okta profile.
func subjectFor(username string, okta bool) string {
	if !okta {
		return "usr_" + username
	}
	sum := sha256.Sum256([]byte("okta-user:" + username))
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	b.WriteString("00u")
	for _, c := range sum[:17] {
		b.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return b.String()
}

// userDirectory finds demo users by username and by sub.
type userDirectory struct {
	users []*User
}

func (d userDirectory) byUsername(name string) *User {
	for _, u := range d.users {
		if u.Username == name {
			return u
		}
	}
	return nil
}

func (d userDirectory) bySubject(sub string) *User {
	for _, u := range d.users {
		if u.Subject == sub {
			return u
		}
	}
	return nil
}

// names lists the usernames, for messages.
func (d userDirectory) names() string {
	names := make([]string, len(d.users))
	for i, u := range d.users {
		names[i] = u.Username
	}
	return strings.Join(names, ", ")
}

// describe is the one-line description of a user for printed listings.
func (u *User) describe() string {
	return fmt.Sprintf("%-6s %s", u.Username, u.Outcome)
}
