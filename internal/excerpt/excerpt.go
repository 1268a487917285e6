// Package excerpt cuts text for display: a quote at a word boundary, a
// value in an error message at a byte limit. It never cuts inside a
// character, and marks every cut with "…".
package excerpt

import (
	"strings"
	"unicode/utf8"
)

// Prefix returns the longest prefix of s of at most n bytes that does not
// end inside a character.
func Prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Bytes cuts s to at most n bytes (and the mark), for quoting a value in a
// message.
func Bytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Prefix(s, n) + "…"
}

// Words cuts s to at most n bytes at a word boundary, trailing punctuation
// dropped, for quoting a line; a first word longer than n is cut inside.
func Words(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = len(Prefix(s, n))
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}
