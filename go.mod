module github.com/xaatools/xaa

go 1.26.8

require (
	github.com/go-jose/go-jose/v4 v4.1.8 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
)
