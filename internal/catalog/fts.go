package catalog

import (
	"strconv"
	"strings"

	"github.com/transcripts/site/internal/search"
)

// MatchExpr returns q as an FTS5 MATCH expression. Every word is a quoted
// FTS5 string (words hold only letters, digits and marks, so there is no
// quote to escape), so only the operators written here are syntax.
func MatchExpr(q search.Query) string {
	var b strings.Builder
	if q.Near > 0 {
		b.WriteString("NEAR(")
		for i, g := range q.Groups {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeTerm(&b, g[0])
		}
		b.WriteString(", " + strconv.Itoa(q.Near) + ")")
		for _, t := range q.Excluded {
			b.WriteString(" NOT ")
			writeTerm(&b, t)
		}
		return b.String()
	}
	if len(q.Excluded) > 0 {
		b.WriteString("(")
	}
	for i, g := range q.Groups {
		if i > 0 {
			b.WriteString(" AND ")
		}
		if len(g) > 1 {
			b.WriteString("(")
		}
		for j, t := range g {
			if j > 0 {
				b.WriteString(" OR ")
			}
			writeTerm(&b, t)
		}
		if len(g) > 1 {
			b.WriteString(")")
		}
	}
	if len(q.Excluded) > 0 {
		b.WriteString(")")
	}
	for _, t := range q.Excluded {
		b.WriteString(" NOT ")
		writeTerm(&b, t)
	}
	return b.String()
}

func writeTerm(b *strings.Builder, t search.Term) {
	b.WriteByte('"')
	b.WriteString(strings.Join(t.Words, " "))
	b.WriteByte('"')
	if t.Prefix {
		b.WriteByte('*')
	}
}
