package postgres

import (
	"strconv"
	"strings"

	"github.com/transcripts/site/internal/search"
)

// config is the text search configuration of migration 0001: unaccented,
// stemmed, no stop words.
const config = "transcripts"

// tsquery returns q as the text of a to_tsquery expression: every word is
// quoted (words hold only letters, digits and marks, so there is no quote
// to escape), so only the operators written here are syntax. The
// configuration stems and unaccents each word as it did the text.
func tsquery(q search.Query) string {
	var b strings.Builder
	if q.Near > 0 {
		// PostgreSQL has no unordered NEAR: each group's term within Near
		// words of the next one, in either order.
		for i := 1; i < len(q.Groups); i++ {
			if i > 1 {
				b.WriteString(" & ")
			}
			a, c := term(q.Groups[i-1][0]), term(q.Groups[i][0])
			b.WriteByte('(')
			for d := 1; d <= q.Near+1; d++ {
				if d > 1 {
					b.WriteString(" | ")
				}
				dist := " <" + strconv.Itoa(d) + "> "
				b.WriteString("(" + a + dist + c + ") | (" + c + dist + a + ")")
			}
			b.WriteByte(')')
		}
		excluded(&b, q.Excluded)
		return b.String()
	}
	for i, g := range q.Groups {
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteByte('(')
		for j, t := range g {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(term(t))
		}
		b.WriteByte(')')
	}
	excluded(&b, q.Excluded)
	return b.String()
}

// markQuery returns the words and phrases q looks for, any of them: what
// a snippet marks (the excluded terms are not in a matching text).
func markQuery(q search.Query) string {
	var parts []string
	for _, g := range q.Groups {
		for _, t := range g {
			parts = append(parts, term(t))
		}
	}
	return strings.Join(parts, " | ")
}

func excluded(b *strings.Builder, ts []search.Term) {
	for _, t := range ts {
		if b.Len() > 0 {
			b.WriteString(" & ")
		}
		b.WriteString("!" + term(t))
	}
}

// term is one word, prefix or phrase.
func term(t search.Term) string {
	words := make([]string, len(t.Words))
	for i, w := range t.Words {
		// A word typed holds no quote, but one from the vocabulary (a
		// did-you-mean, a stem's forms) may: quoted as to_tsquery reads it.
		words[i] = "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + "'"
		if t.Prefix && i == len(t.Words)-1 {
			words[i] += ":*"
		}
	}
	if len(words) == 1 {
		return words[0]
	}
	return "(" + strings.Join(words, " <-> ") + ")"
}

// scoredWords returns the words BM25 weighs, each with whether it is a
// prefix: every word of the query's groups, none of its excluded terms.
func scoredWords(q search.Query) (words []string, prefix []bool) {
	for _, g := range q.Groups {
		for _, t := range g {
			for i, w := range t.Words {
				words = append(words, w)
				prefix = append(prefix, t.Prefix && i == len(t.Words)-1)
			}
		}
	}
	return words, prefix
}
