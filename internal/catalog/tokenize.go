package catalog

import (
	"unicode"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
	"golang.org/x/text/unicode/norm"
)

// tokenizer splits text into the terms FTS5 indexes with the tokenizer of
// migration 0001, `porter unicode61 remove_diacritics 2`, so that the
// catalog can weigh a segment's words in Go (champions.go) exactly as
// FTS5's bm25() does: token characters are Unicode letters, numbers and
// private-use characters; combining marks are dropped (after canonical
// decomposition, which is what remove_diacritics 2 folds away) without
// splitting a token; letters are lowercased; a token of 3 to 64 bytes is
// reduced to its Porter stem (FTS5's porter leaves shorter and longer
// ones alone). Characters unassigned in FTS5's Unicode 6.1 tables, such
// as emoji added since, are tokens there and separators here: a line
// holding one counts a word short. TestTokenizerIsFTS5s holds it to FTS5's own vocabulary.
//
// Stems are remembered (a transcript's words follow Zipf's law: a few
// thousand cover nearly every token), up to maxStems of them. A tokenizer
// is not safe for concurrent use.
type tokenizer struct {
	stems map[string]string
	buf   []byte
	runes []rune
}

// maxStems bounds the stems a tokenizer remembers (about 100 bytes each).
const maxStems = 200_000

// porterMin and porterMax are the token lengths, in bytes, FTS5's porter
// tokenizer stems (FTS5_PORTER_MAX_TOKEN).
const (
	porterMin = 3
	porterMax = 64
)

func newTokenizer() *tokenizer { return &tokenizer{stems: map[string]string{}} }

// each calls fn with every term of text in order and the bytes of text
// it was read from, text[start:end]. The term passed to fn may be kept.
func (t *tokenizer) each(text string, fn func(term string, start, end int)) {
	t.buf = t.buf[:0]
	start, end := 0, 0
	flush := func() {
		if len(t.buf) > 0 {
			fn(t.stem(t.buf), start, end)
			t.buf = t.buf[:0]
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				flush()
				i++
				continue
			}
			if len(t.buf) == 0 {
				start = i
			}
			t.buf = append(t.buf, c)
			i++
			end = i
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		at := i
		i += size
		if diacritic(r) {
			if len(t.buf) > 0 {
				end = i
			}
			continue // removed, part of the token around it
		}
		if !tokenRune(r) {
			flush()
			continue
		}
		if len(t.buf) == 0 {
			start = at
		}
		end = i
		if !latin(r) {
			t.buf = utf8.AppendRune(t.buf, unicode.ToLower(r))
			continue
		}
		// Its canonical decomposition without marks: é → e, ñ → n.
		for _, d := range norm.NFD.String(text[at:i]) {
			if !diacritic(d) {
				t.buf = utf8.AppendRune(t.buf, unicode.ToLower(d))
			}
		}
	}
	flush()
}

// diacritic reports whether r is one of the combining diacritical marks
// (U+0300–U+036F) that remove_diacritics drops; other combining marks
// (Devanagari's virama, say) separate tokens, as in FTS5.
func diacritic(r rune) bool { return 0x300 <= r && r <= 0x36f }

// latin reports whether r is in the Latin blocks whose letters FTS5 folds
// to their base letter (Greek, Cyrillic and others keep their accents).
func latin(r rune) bool { return r < 0x250 || (0x1e00 <= r && r <= 0x1eff) }

// tokenRune reports whether unicode61 reads r as part of a token.
func tokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// stem returns the term FTS5 indexes for a lowercased token.
func (t *tokenizer) stem(tok []byte) string {
	if s, ok := t.stems[string(tok)]; ok {
		return s
	}
	word := string(tok)
	s := word
	if len(tok) >= porterMin && len(tok) <= porterMax {
		// FTS5's porter works on bytes, a non-ASCII byte being a
		// consonant: so does this, one rune per byte.
		t.runes = t.runes[:0]
		for _, b := range tok {
			t.runes = append(t.runes, rune(b))
		}
		stemmed := porterstemmer.StemWithoutLowerCasing(t.runes)
		b := make([]byte, len(stemmed))
		for i, r := range stemmed {
			b[i] = byte(r)
		}
		s = string(b)
	}
	if len(t.stems) < maxStems {
		t.stems[word] = s
	}
	return s
}

// terms returns the terms of text, in order.
func (t *tokenizer) terms(text string) []string {
	var out []string
	t.each(text, func(term string, _, _ int) { out = append(out, term) })
	return out
}
