// Package model holds Earshot's plain domain types: mentions, authors,
// analyses, cases and their timeline, users and tokens. It does no I/O.
package model
