package relevance

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
)

// Shape is how a known-item query is typed.
type Shape string

// The shapes of issue 12: the bare words, the words in a question, the
// words with one typo.
const (
	Bare     Shape = "bare"
	Question Shape = "question"
	Typo     Shape = "typo"
)

// Shapes lists the shapes in the order tables show them.
var Shapes = []Shape{Bare, Question, Typo}

// KnownItem is a target segment and the queries that should find it.
type KnownItem struct {
	Target  Segment
	Words   []string // three distinctive words of the target, in spoken order
	Queries map[Shape]string
}

// stopwords are words that carry no meaning in speech: function words,
// fillers and the verbs of asking. No query word is chosen from them, and
// question frames use nothing else.
var stopwords = wordSet(`a about after again all also am an and any anyone are as at be because been
	before being but by can could did do does doing don't for from get got had has have he her here
	him his how i i'm if in into is it it's its just kind know like me mean mention mentioned more most
	my no not now of on one or our out over part really said say says so some someone something sort
	talk talked talking than that that's the their them then there they thing things this those to told
	uh um up us was way we well were what when where which who why will with would yeah you your`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// tokens splits text as the index does (unicode61: letters and digits,
// everything else separates), lower-cased.
func tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}

// stem approximates steps 1 and 5 of the index's Porter stemmer (plurals,
// -ed, -ing, final y and e): enough to count "cohort" and "cohorts" as one word when
// judging rarity, and to tell a typo from another form of a real word.
func stem(w string) string {
	switch {
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ies"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"):
	case strings.HasSuffix(w, "s") && len(w) > 3:
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "eed"):
	case strings.HasSuffix(w, "ed") && hasVowel(w[:len(w)-2]):
		w = undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "ing") && hasVowel(w[:len(w)-3]):
		w = undouble(w[:len(w)-3])
	}
	if strings.HasSuffix(w, "y") && hasVowel(w[:len(w)-1]) {
		w = w[:len(w)-1] + "i"
	}
	if len(w) > 4 && strings.HasSuffix(w, "e") { // step 5: "large" → "larg"
		w = w[:len(w)-1]
	}
	return w
}

func hasVowel(s string) bool { return strings.ContainsAny(s, "aeiouy") }

// undouble restores what Porter's step 1b leaves after -ed or -ing:
// "hopp" → "hop", "hop" → "hope" (roughly).
func undouble(w string) string {
	n := len(w)
	switch {
	case strings.HasSuffix(w, "at"), strings.HasSuffix(w, "bl"), strings.HasSuffix(w, "iz"):
		return w + "e"
	case n >= 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeioulsz", rune(w[n-1])):
		return w[:n-1]
	}
	return w
}

// candidate reports whether w may be a query word: a word of at least four
// letters (no digits, no apostrophes) that is not a stopword.
func candidate(w string) bool {
	if len(w) < 4 || stopwords[w] {
		return false
	}
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// vocabulary is what a corpus says: in how many segments each stem
// occurs, and every surface word.
type vocabulary struct {
	df    map[string]int
	words map[string]bool
}

func (c Corpus) vocabulary() vocabulary {
	v := vocabulary{df: map[string]int{}, words: map[string]bool{}}
	for _, s := range c {
		seen := map[string]bool{}
		for _, w := range tokens(s.Text) {
			v.words[w] = true
			if st := stem(w); !seen[st] {
				seen[st] = true
				v.df[st]++
			}
		}
	}
	return v
}

// questionFrames put three words in a question as someone half
// remembering a moment would ask it, in spoken-English stopwords only.
var questionFrames = []string{
	"what did they say about %s and %s with %s",
	"what was that thing about %s %s and %s",
	"who talked about %s and %s and %s",
	"when did someone mention %s, %s and %s",
	"that part where they talk about %s %s %s",
	"um what was it they said about %s %s and %s",
	"where do they talk about %s with %s and %s",
	"did anyone say something about %s %s or %s",
	"what was said about %s, %s and %s",
	"how did they talk about the %s and %s and the %s",
}

// KnownItems chooses n targets among c's conversation, at random from
// seed, and makes each one's three queries. A target's words are three of
// its six rarest candidate words; segments without six are passed over.
func KnownItems(c Corpus, n int, seed uint64) []KnownItem {
	rng := rand.New(rand.NewPCG(seed, 0x6b6e_6f77_6e))
	v := c.vocabulary()
	var items []KnownItem
	for _, i := range rng.Perm(len(c)) {
		if len(items) == n {
			break
		}
		s := c[i]
		if s.Kind != Conversation {
			continue
		}
		words := distinctive(s.Text, v, rng)
		if words == nil {
			continue
		}
		typo, ok := misspell(words, v, rng)
		if !ok {
			continue
		}
		items = append(items, KnownItem{Target: s, Words: words, Queries: map[Shape]string{
			Bare:     strings.Join(words, " "),
			Question: fmt.Sprintf(anyOf(rng, questionFrames), words[0], words[1], words[2]),
			Typo:     typo,
		}})
	}
	return items
}

// distinctive returns three of the six rarest candidate words of text, in
// the order they are said, or nil.
func distinctive(text string, v vocabulary, rng *rand.Rand) []string {
	var ws []string
	seen := map[string]bool{}
	for _, w := range tokens(text) {
		if candidate(w) && !seen[stem(w)] {
			seen[stem(w)] = true
			ws = append(ws, w)
		}
	}
	if len(ws) < 6 {
		return nil
	}
	rare := slices.Clone(ws)
	slices.SortStableFunc(rare, func(a, b string) int { return cmp.Compare(v.df[stem(a)], v.df[stem(b)]) })
	rare = rare[:6]
	rng.Shuffle(len(rare), func(i, j int) { rare[i], rare[j] = rare[j], rare[i] })
	chosen := rare[:3]
	var out []string
	for _, w := range ws { // spoken order
		if slices.Contains(chosen, w) {
			out = append(out, w)
		}
	}
	return out
}

// misspell returns the words with one of at least five letters changed by
// one edit (substitution, insertion, deletion or transposition of
// neighbours, never the first letter) into a word the corpus never says.
func misspell(words []string, v vocabulary, rng *rand.Rand) (string, bool) {
	var long []int
	for i, w := range words {
		if len(w) >= 5 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return "", false
	}
	i := anyOf(rng, long)
	for range 20 {
		typo := edit(words[i], rng)
		// Neither a word of the corpus nor another form of one: a
		// misspelling the index cannot match.
		if !v.words[typo] && v.df[stem(typo)] == 0 && DamerauLevenshtein(typo, words[i]) == 1 {
			out := slices.Clone(words)
			out[i] = typo
			return strings.Join(out, " "), true
		}
	}
	return "", false
}

const letters = "abcdefghijklmnopqrstuvwxyz"

// edit makes one random edit to w past its first letter.
func edit(w string, rng *rand.Rand) string {
	b := []byte(w)
	p := 1 + rng.IntN(len(b)-1)
	c := letters[rng.IntN(len(letters))]
	switch rng.IntN(4) {
	case 0: // substitution
		b[p] = c
	case 1: // insertion
		b = slices.Insert(b, p, c)
	case 2: // deletion
		b = slices.Delete(b, p, p+1)
	default: // transposition
		if p == len(b)-1 {
			p--
		}
		if p == 0 {
			return w
		}
		b[p], b[p+1] = b[p+1], b[p]
	}
	return string(b)
}

// DamerauLevenshtein returns the optimal string alignment distance
// between a and b: insertions, deletions, substitutions and
// transpositions of adjacent letters, each costing one.
func DamerauLevenshtein(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// NamedQuery is a query issue 12 names, with the topic its hits should
// be about.
type NamedQuery struct {
	Query string
	Topic string
}

// NamedQueries are the fixture's named queries.
var NamedQueries = []NamedQuery{
	{"advice for first time managers", "managers"},
	{"how should I price my product", "pricing"},
}
