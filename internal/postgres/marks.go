package postgres

import (
	"strings"
	"unicode"

	"github.com/transcripts/site/internal/search"
)

// wordRune is a rune of a word as transcript_words (migration 0001) cuts
// them: [[:alnum:]] in a UTF-8 locale.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// remark moves the marks ts_headline put on the words of
// transcript_words(text) back onto text: the nth word of one is the nth
// of the other. Should they not cut alike (a letter the database's locale
// and Go classify apart), text comes back unmarked rather than marked
// in the wrong places.
func remark(text, marked string) string {
	var flags []bool // each word of marked: is it marked?
	in, inWord := false, false
	for _, r := range marked {
		switch {
		case r == rune(search.MarkStart[0]):
			in = true
		case r == rune(search.MarkEnd[0]):
			in = false
		case wordRune(r):
			if !inWord {
				flags = append(flags, in)
				inWord = true
			} else if in {
				flags[len(flags)-1] = true
			}
		default:
			inWord = false
		}
	}
	var b strings.Builder
	b.Grow(len(text) + 8)
	n, start := 0, -1
	end := func(i int) {
		if start < 0 {
			return
		}
		if n < len(flags) && flags[n] {
			b.WriteString(search.MarkStart + text[start:i] + search.MarkEnd)
		} else {
			b.WriteString(text[start:i])
		}
		n++
		start = -1
	}
	for i, r := range text {
		if wordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		end(i)
		b.WriteRune(r)
	}
	end(len(text))
	if n != len(flags) {
		return text
	}
	return b.String()
}
