package catalog

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestTokenizerIsFTS5s holds the Go tokenizer to FTS5's own: the terms of
// each text, in order, as fts5vocab lists their instances.
func TestTokenizerIsFTS5s(t *testing.T) {
	// Not covered: characters unassigned in FTS5's Unicode 6.1 tables
	// (emoji added since, such as U+1F642) are tokens there and
	// separators here, so a line holding them counts a word short.
	texts := []string{
		"The networks were training; networking trained the network's weights.",
		"Café crème, naïve résumé — Ångström, Øresund, straße, ΣΊΣΥΦΟΣ, Ñandú",
		"cafe\u0301 a\u0301b x\u0300 \u0301lone",
		"I a an as is us be by generalization generalizations relational conditioning",
		"GPT-4 ResNet50 3.14 1,000,000 x86_64 e-mail don't we're U.S.A. (parenthesised) [bracketed]",
		"日本語のテキスト 中文 한국어 العربية हिन्दी",
		"emoji 😀 and symbols ©®™ § ¶ ° ± × ÷ ½ ² ³ ① Ⅻ",
		"tabs\tand\nnewlines  and  double  spaces",
		strings.Repeat("a", 70) + " " + strings.Repeat("running", 10) + " supercalifragilisticexpialidociously",
		"ﬁ ligature, ﬂuent; full-width ＡＢＣ１２３",
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `
		CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'porter unicode61 remove_diacritics 2');
		CREATE VIRTUAL TABLE v USING fts5vocab (t, instance);`); err != nil {
		t.Fatal(err)
	}
	tok := newTokenizer()
	for i, text := range texts {
		if _, err := db.ExecContext(ctx, `INSERT INTO t (rowid, x) VALUES (?, ?)`, i+1, text); err != nil {
			t.Fatal(err)
		}
		rows, err := db.QueryContext(ctx, `SELECT term FROM v WHERE doc = ? ORDER BY offset`, i+1)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for rows.Next() {
			var term string
			if err := rows.Scan(&term); err != nil {
				t.Fatal(err)
			}
			want = append(want, term)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if got := tok.terms(text); !slices.Equal(got, want) {
			t.Errorf("terms of %q:\n got %q\nwant %q", text, got, want)
		}
	}
}
