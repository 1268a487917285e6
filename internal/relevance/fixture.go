package relevance

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Shape of the fixture. Episodes of 45–90 minutes cut into 20–30 s
// segments make about 160 segments an episode, near 9,000 in all.
const (
	episodesPerShow = 9
	minMinutes      = 45
	maxMinutes      = 90
	// charsPerSecond is how fast the hosts speak: 360–490 characters
	// take 21–29 s, as in the dataset.
	charsPerSecond = 17
	minSegmentLen  = 360
	maxSegmentLen  = 490
)

// DefaultSeed is the seed the relevance tests and RELEVANCE.md use.
const DefaultSeed = 12

// Generate returns the podcast fixture made from seed: the same seed
// gives the same collection, byte for byte.
func Generate(seed uint64) Corpus {
	g := &generator{rng: rand.New(rand.NewPCG(seed, 0x7265_6c65_7661_6e63)), ids: map[string]bool{}}
	for i := range topics {
		g.topicIndex(topics[i].name)
	}
	var c Corpus
	for _, sh := range shows {
		number := 10 + g.rng.IntN(150)
		day := time.Date(2019+g.rng.IntN(3), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
		for range episodesPerShow {
			c = append(c, g.episode(sh, number, day)...)
			number += 1 + g.rng.IntN(3)
			day = day.AddDate(0, 0, 7+7*g.rng.IntN(3))
		}
	}
	return c
}

type generator struct {
	rng *rand.Rand
	ids map[string]bool
}

func (g *generator) topicIndex(name string) *topic {
	for i := range topics {
		if topics[i].name == name {
			return &topics[i]
		}
	}
	panic("relevance: no topic " + name)
}

// pick returns an element of xs, favouring the front: the lists are
// ordered from common to rare, which gives each topic a long tail.
func pick[T any](rng *rand.Rand, xs []T) T {
	return xs[int(float64(len(xs))*math.Pow(rng.Float64(), 1.7))]
}

// anyOf returns an element of xs, each as likely.
func anyOf[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

func (g *generator) videoID() string {
	for {
		b := make([]byte, 11)
		for i := range b {
			n := len(idAlphabet)
			if i == 0 {
				n = 52 // a letter first, so no id looks like a flag
			}
			b[i] = idAlphabet[g.rng.IntN(n)]
		}
		if id := string(b); !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

// episode is what the generator knows about the episode it is writing.
type episode struct {
	show    show
	hosts   []string
	guests  []string
	id      string
	title   string
	date    string
	clock   int // seconds spoken so far
	segs    []Segment
	topics  []*topic
	weights []float64
}

func first(name string) string { return strings.Fields(name)[0] }

func (g *generator) person(taken []string) string {
	for {
		p := anyOf(g.rng, firstNames) + " " + anyOf(g.rng, lastNames)
		clash := slices.ContainsFunc(taken, func(t string) bool { return first(t) == first(p) })
		if !clash {
			return p
		}
	}
}

func (g *generator) episode(sh show, number int, day time.Time) []Segment {
	ep := &episode{show: sh, hosts: sh.hosts, id: g.videoID(), date: day.Format("2006-01-02")}
	nGuests := 1
	if g.rng.Float64() < 0.3 {
		nGuests = 2
	}
	taken := slices.Clone(sh.hosts)
	for range nGuests {
		p := g.person(taken)
		ep.guests = append(ep.guests, p)
		taken = append(taken, p)
	}
	// A main topic, a second from the show's, and now and then one from
	// anywhere: shows overlap in what they talk about.
	order := g.rng.Perm(len(sh.topics))
	ep.topics = []*topic{g.topicIndex(sh.topics[order[0]]), g.topicIndex(sh.topics[order[1]])}
	ep.weights = []float64{0.6, 0.3}
	third := g.topicIndex(sh.topics[order[len(order)-1]])
	if g.rng.Float64() < 0.4 {
		third = &topics[g.rng.IntN(len(topics))]
	}
	ep.topics = append(ep.topics, third)
	ep.weights = append(ep.weights, 0.1)

	guestNames := strings.Join(ep.guests, " and ")
	ep.title = fmt.Sprintf("%s #%d: %s on %s", sh.name, number, guestNames, anyOf(g.rng, ep.topics[0].terms))

	duration := 60 * (minMinutes + g.rng.IntN(maxMinutes-minMinutes+1))
	reads := slices.Clone(sh.sponsors)
	g.rng.Shuffle(len(reads), func(i, j int) { reads[i], reads[j] = reads[j], reads[i] })
	nReads := 2 + g.rng.IntN(2)
	breaks := []int{duration / 3, 2 * duration / 3}
	if nReads == 3 {
		breaks = []int{duration / 4, duration / 2, 3 * duration / 4}
	}
	vars := g.vars(ep)

	g.block(ep, Intro, "intro:"+sh.name, sh.hosts[0], g.expand(sh.intro, vars))
	r := 0
	if g.rng.Float64() < 0.6 { // a pre-roll read before the conversation
		g.ad(ep, reads[r], vars, false)
		r++
	}
	for _, at := range breaks {
		g.conversation(ep, at)
		if r < nReads {
			g.ad(ep, reads[r], vars, true)
			r++
		}
	}
	g.conversation(ep, duration)
	g.block(ep, Outro, "outro:"+sh.name, sh.hosts[0], g.expand(sh.outro, vars))
	return ep.segs
}

// vars are the slot values of an episode's intro, outro and reads.
func (g *generator) vars(ep *episode) map[string]string {
	v := map[string]string{
		"show":       ep.show.name,
		"slug":       ep.show.slug,
		"host":       ep.hosts[0],
		"guest":      strings.Join(ep.guests, " and "),
		"guestfirst": first(ep.guests[0]),
	}
	if len(ep.hosts) > 1 {
		v["cohost"] = ep.hosts[1]
	}
	return v
}

// ad appends one sponsor read, by either host, with this episode's offer.
func (g *generator) ad(ep *episode, name string, base map[string]string, midRoll bool) {
	i := slices.IndexFunc(sponsors, func(s sponsor) bool { return s.name == name })
	sp := sponsors[i]
	v := maps.Clone(base)
	host := anyOf(g.rng, ep.hosts)
	v["host"] = host
	v["pct"] = anyOf(g.rng, sp.pcts)
	v["days"] = anyOf(g.rng, []string{"30", "60", "100", "100"})
	code := strings.ToUpper(ep.show.slug)
	if g.rng.Float64() < 0.5 {
		code += v["pct"]
	}
	v["code"] = code
	text := g.expand(sp.read, v)
	if midRoll {
		text = g.expand(`[We'll get back to {guestfirst} in a minute|Let's take a quick break], but first, [a word from our sponsor|a quick word from this week's sponsor]. `, v) + text
	}
	g.block(ep, Ad, "ad:"+sp.name, host, text)
}

var (
	slotPattern   = regexp.MustCompile(`\{[a-z]+\}`)
	choicePattern = regexp.MustCompile(`\[[^\]]*\]`)
)

// expand fills a template's {slots} from v and picks one wording of each
// [a|b] choice.
func (g *generator) expand(tmpl string, v map[string]string) string {
	s := choicePattern.ReplaceAllStringFunc(tmpl, func(m string) string {
		return anyOf(g.rng, strings.Split(m[1:len(m)-1], "|"))
	})
	s = slotPattern.ReplaceAllStringFunc(s, func(m string) string {
		if x, ok := v[m[1:len(m)-1]]; ok {
			return x
		}
		panic("relevance: no value for " + m)
	})
	return strings.Join(strings.Fields(s), " ")
}

// block appends text said by one speaker, cut into segments of about
// 360–490 characters at word boundaries, all of one kind.
func (g *generator) block(ep *episode, kind Kind, cluster, speaker, text string) {
	n := (len(text) + maxSegmentLen - 1) / maxSegmentLen
	for _, piece := range cut(text, n) {
		g.emit(ep, kind, cluster, "", speaker, piece)
	}
}

// cut splits text into n pieces of about equal length at spaces.
func cut(text string, n int) []string {
	var out []string
	for i := n; i > 1; i-- {
		at := len(text) / i
		sp := strings.IndexByte(text[at:], ' ')
		if sp < 0 {
			break
		}
		out = append(out, text[:at+sp])
		text = text[at+sp+1:]
	}
	return append(out, text)
}

func (g *generator) emit(ep *episode, kind Kind, cluster, topic, speaker, text string) {
	secs := len(text)/charsPerSecond + g.rng.IntN(3) - 1
	secs = min(max(secs, 8), 31)
	start := ep.clock
	if g.rng.Float64() < 0.2 {
		start++ // a breath between lines
	}
	ep.clock = start + secs
	ep.segs = append(ep.segs, Segment{
		VideoID: ep.id, Title: ep.title, Channel: ep.show.name, Published: ep.date, Speaker: speaker,
		Start: start, End: start + secs, Text: text, Kind: kind, Cluster: cluster, Topic: topic,
	})
}

// conversation appends turns of talk until the clock reaches until, in
// blocks of a few minutes on one of the episode's topics.
func (g *generator) conversation(ep *episode, until int) {
	for ep.clock < until {
		t := ep.topics[weighted(g.rng, ep.weights)]
		blockEnd := min(until, ep.clock+25*(6+g.rng.IntN(12)))
		for ep.clock < blockEnd {
			g.turn(ep, t)
		}
	}
}

func weighted(rng *rand.Rand, w []float64) int {
	x := rng.Float64()
	for i, p := range w {
		if x < p {
			return i
		}
		x -= p
	}
	return len(w) - 1
}

// turn appends a host's question and a guest's answer, or a remark of a
// co-host or second guest.
func (g *generator) turn(ep *episode, t *topic) {
	guest := anyOf(g.rng, ep.guests)
	switch x := g.rng.Float64(); {
	case x < 0.15 && len(ep.hosts)+len(ep.guests) > 2:
		others := append(slices.Clone(ep.hosts[min(1, len(ep.hosts)-1):]), ep.guests...)
		g.talk(ep, t, anyOf(g.rng, others), 1, "")
	case x < 0.45:
		ask := fmt.Sprintf(anyOf(g.rng, t.asks), first(guest))
		g.talk(ep, t, anyOf(g.rng, ep.hosts), 1, strings.ToUpper(ask[:1])+ask[1:]+"?")
	}
	g.talk(ep, t, guest, 1+g.rng.IntN(4), "")
}

// talk appends n segments said by speaker on t, starting with lead.
func (g *generator) talk(ep *episode, t *topic, speaker string, n int, lead string) {
	var words []string
	if g.rng.Float64() < 0.3 {
		words = strings.Fields(anyOf(g.rng, reactions))
	}
	words = append(words, strings.Fields(lead)...)
	for i := range n {
		target := minSegmentLen + g.rng.IntN(maxSegmentLen-minSegmentLen-60)
		for length(words) < target {
			words = append(words, strings.Fields(g.sentence(ep, t, speaker))...)
		}
		// Cut where the target is reached, mid-sentence as captions are.
		cutAt := len(words)
		for l := 0; l < len(words); l++ {
			if length(words[:l+1]) >= target {
				cutAt = l + 1
				break
			}
		}
		if i == n-1 && length(words) <= maxSegmentLen {
			cutAt = len(words) // the turn ends with its sentence
		}
		g.emit(ep, Conversation, "", t.name, speaker, strings.Join(words[:cutAt], " "))
		words = words[cutAt:]
	}
	// What is left of the last sentence is cut off: the next speaker
	// talks over it.
}

func length(words []string) int {
	n := 0
	for _, w := range words {
		n += len(w) + 1
	}
	return max(0, n-1)
}

var reactions = phrases(`Yeah.; Right, right.; Totally.; Mm-hmm.; Wow.; Yeah, that makes sense.; Okay.; Exactly.;
	I love that.; Huh, interesting.; Sure.; No, totally.; Ha, yes.; That's fair.`)
