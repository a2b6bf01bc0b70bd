package playground

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits of the todo store.
const (
	maxTodosPerAccount = 500
	maxTodoTitle       = 200
)

// Todo is one item of a user's todo list, as the REST API and the MCP tools
// return it.
type Todo struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Done      bool      `json:"done"`
	CreatedAt time.Time `json:"created_at"`
}

// todoStore keeps each account's todos in memory.
type todoStore struct {
	now func() time.Time

	mu    sync.Mutex
	lists map[string][]Todo
	next  int
}

func newTodoStore(now func() time.Time) *todoStore {
	return &todoStore{now: now, lists: map[string][]Todo{}}
}

// list returns the account's todos, seeding a new account with two.
func (s *todoStore) list(account string) []Todo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Todo(nil), s.seeded(account)...)
}

// add appends a todo; the title is trimmed and bounded.
func (s *todoStore) add(account, title string) (Todo, error) {
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		return Todo{}, errors.New("title is empty")
	case utf8.RuneCountInString(title) > maxTodoTitle:
		return Todo{}, fmt.Errorf("title has %d characters; at most %d", utf8.RuneCountInString(title), maxTodoTitle)
	case !utf8.ValidString(title):
		return Todo{}, errors.New("title is not valid UTF-8")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.seeded(account)
	if len(list) >= maxTodosPerAccount {
		return Todo{}, fmt.Errorf("the list already holds %d todos, the most it can", maxTodosPerAccount)
	}
	t := s.newTodo(title)
	s.lists[account] = append(list, t)
	return t, nil
}

func (s *todoStore) seeded(account string) []Todo {
	list, ok := s.lists[account]
	if !ok {
		list = []Todo{
			s.newTodo("Decode the ID-JAG with xaa decode"),
			s.newTodo("Break the flow with xaa playground --fault idjag-wrong-aud"),
		}
		s.lists[account] = list
	}
	return list
}

func (s *todoStore) newTodo(title string) Todo {
	s.next++
	return Todo{ID: fmt.Sprintf("t%d", s.next), Title: title, CreatedAt: s.now().UTC().Truncate(time.Second)}
}
