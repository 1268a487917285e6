package relevance

import (
	"fmt"
	"regexp"
	"strings"
)

// templates are sentences of conversation with slots: {N} a noun of the
// topic, {V} a verb, {A} an adjective, {T} a term; {G} {GV} {GA} general
// words; {NUM} {MONEY} {PCT} {YEAR} {DUR} numbers as people say them;
// {NAME} someone else in the room, {PERSON} someone mentioned, {CO} a
// company. A digit after a slot only makes it a separate draw.
var templates = phrases(`
	the thing about {N} is that most {G} don't {V} the {N2} until it's way too late;
	when we started to {V} our {N}, we saw something like {PCT} more {N2} in about {DUR};
	{PERSON} told me once, you have to {V} the {N} before you even think about {N2};
	we raised {MONEY} in {YEAR}, and the first thing we did was {V} the {N};
	the {A} {N} was the hardest part, and the {A2} {N2} came much later;
	a lot of teams get {T} wrong because they focus on {N} instead of {N2};
	the {N} is a {GA} problem, and it's not the kind you fix with more {N2};
	at {CO} we had this {A} {N}, and nobody wanted to {V} it;
	if I'm honest, {T} was something we only understood after {DUR};
	I remember sitting in a room with {NAME}, going through the {N} line by line;
	we tried to {V} the {N} three times, and the third time it finally worked;
	the numbers were something like {PCT} of {N} and {MONEY} in {N2};
	that's when I realized {T} is really about {N}, not {N2};
	you can't {V} your way out of a {A} {N};
	what surprised me was how {GA} the {N} was compared to the {N2};
	there's a {A} version of {N} and a {A2} version, and most {G} only see the first one;
	it took us {DUR} to {V} the {N}, which in hindsight was way too long;
	my advice is to {V} the {N} early, and to {V2} the {N2} before it gets {A};
	in {YEAR} we had maybe {NUM} {N}, and by {YEAR2} it was {NUM2};
	the {N} looked fine on paper, but the {N2} told a different story;
	we spent {MONEY} on {N}, and most of it went to {N2};
	every {G} I talk to says the same thing about {T};
	so we decided to {V} the {N} and just see what happened to the {N2};
	I think the {A} {N} is underrated, and the {A2} {N2} is overrated;
	people ask me about {T} all the time, and my answer is always {N};
	the first {N} we had was {A}, held together with {N2} and {N3};
	looking back, the {GA} {G} was that we didn't {V} the {N} sooner;
	it's not that {N} doesn't matter, it's that {N2} matters more when you're {A};
	{NAME} kept asking why we couldn't {V} the {N}, and {NAME} was right;
	we had a rule, no {N} without a {N2};
	there was a week where the {N} broke and the {N2} broke and I just sat in the car;
	{PCT} of our {N} came from {N2}, which nobody expected;
	our {N} was {A}, our {N2} was {A2}, and our {G} was, well, {GA};
	if you only {V} one thing this year, {V} the {N};
	I'd read about {T} in a book, but living through it is a {GA} thing;
	we looked at {N} every week and tracked it against {N2};
	the {A} {N} at {CO} is a good example, they {V} the {N2} every {DUR};
	I used to think {T} was about {N}, and now I think it's about {G};
	the mistake I see most is {A} {N}, and it usually starts with {N2};
	so I called {PERSON}, who had been through {T} at {CO}, and asked how they handled the {N};
	the best {N} I've seen came out of a {A} {N2};
	we moved the {N} into the {N2} and suddenly the {N3} made sense;
	that {N} cost us {MONEY} and about {DUR} of my life;
	nobody tells you that {T} means you {V} the {N} over and over;
	the question I ask is, does this {N} help us {V} the {N2} or not;
	in {YEAR}, {PERSON} wrote this memo about {T}, and it changed how we saw the {N};
	honestly the {N} was {A} and I didn't want to admit it;
	I'd rather have a {A} {N} than a {A2} {N2};
	we {V} the {N} on Mondays and {V2} the {N2} on Fridays;
	half of {T} is just paying attention to the {N}`)

// questionTemplates are what hosts and guests ask each other.
var questionTemplates = phrases(`
	how did you {V} the {N} when you were {A};
	what made you {V} the {N} instead of the {N2};
	was the {N} the hard part, or the {N2};
	what would you tell someone who is about to {V} their first {N};
	do you think {T} is overrated;
	how much of that was the {N}, honestly;
	{NAME}, what was {T} like at {CO}`)

// echoes are conversation that says what a sponsor's read says: it is
// content, however much it sounds like the ad.
var echoes = map[string][]string{
	"compliance": phrases(`compliance by hand meant spreadsheets and screenshots, months of chasing evidence before the audit;
		the SOC 2 report was what the enterprise buyers asked for, and the policies and controls had to be real, not a template;
		we wanted to be audit-ready for SOC 2 and HIPAA, and we lost a deal over compliance before we were`),
	"hiring": phrases(`our hiring pipeline lived in five inboxes and a spreadsheet, and interview feedback was scattered across Slack;
		structured interviews and scorecards are boring, and they are the whole point;
		the offer letter was a Google doc, and sourcing was whoever we knew`),
	"retention": phrases(`we looked at our retention curves by cohort, and the onboarding step that lost people was obvious once we saw it;
		finding the aha moment took a year of staring at cohorts;
		what our best customers do in their first week is the whole story of retention`),
	"fundraising": phrases(`right after we closed the round, I spent a week just figuring out where to put the cash;
		our investors wanted monthly updates with runway and burn, and honestly it made us better`),
	"cooking": phrases(`weeknight dinners are where cooking lives or dies, twenty minutes and no grocery run;
		when you get home tired the fridge is a mystery and you end up ordering takeout again`),
	"health": phrases(`sleep is the foundation of everything, and I ignored it for five years;
		a bad mattress and back pain, and I still blamed the stress`),
}

// mentions are conversation that names a sponsor, as guests now and then
// do: content too.
var mentions = map[string][]string{
	"compliance":  phrases(`we actually used Clearfile for the SOC 2 evidence, and the audit itself was the easy part`),
	"hiring":      phrases(`we tried Hirewell for sourcing and it found candidates we'd never have reached`),
	"retention":   phrases(`we use Cohortly, and the first week of our best customers looked nothing like the rest`),
	"fundraising": phrases(`we kept the money at Ledgerly, and the yield on idle cash paid for an engineer`),
	"cooking":     phrases(`I tried Fresh Fork for a month when the baby came, and it got us cooking again`),
	"health":      phrases(`I bought a Restwell mattress after the back pain got bad, and it did help, but the real fix was going to bed on time`),
}

var (
	fillers   = []string{"um", "uh", "um,", "uh,", "like", "you know,", "I mean", "sort of", "kind of", "basically", "like,"}
	openers   = []string{"So", "And", "But", "Yeah, so", "I think", "Honestly,", "Look,", "Okay, so", "I mean,", "And, and", "You know,", "Right, and"}
	numbers   = []string{"three", "five", "a dozen", "twenty", "50", "a hundred", "200", "maybe 40", "1,000", "12", "six", "eight", "two", "10,000"}
	money     = []string{"$2.5 million", "$400,000", "$12 million", "$80k", "half a million dollars", "$1.2 million", "$30 million", "$15,000", "$5 million", "$250k", "$3 million", "$90 million"}
	percents  = []string{"40 percent", "12%", "a third", "half", "20 percent", "8 percent", "65%", "30 percent", "90 percent", "15 percent", "two thirds", "3%"}
	durations = []string{"18 months", "six weeks", "two years", "a quarter", "three months", "a weekend", "nine months", "a year", "four years", "ten days"}
	slot      = regexp.MustCompile(`\{([A-Z]+)[0-9]?\}`)
)

// sentence returns one noisy spoken sentence on t by speaker.
func (g *generator) sentence(ep *episode, t *topic, speaker string) string {
	var tmpl string
	question := false
	switch x := g.rng.Float64(); {
	case x < 0.002 && len(mentions[t.name]) > 0:
		tmpl = anyOf(g.rng, mentions[t.name])
	case x < 0.014 && len(echoes[t.name]) > 0:
		tmpl = anyOf(g.rng, echoes[t.name])
	case x < 0.10:
		tmpl, question = anyOf(g.rng, questionTemplates), true
	default:
		tmpl = anyOf(g.rng, templates)
	}
	s := slot.ReplaceAllStringFunc(tmpl, func(m string) string { return g.fill(ep, t, speaker, slot.FindStringSubmatch(m)[1]) })
	return g.speak(s, question)
}

func (g *generator) fill(ep *episode, t *topic, speaker, name string) string {
	return strings.ReplaceAll(g.word(ep, t, speaker, name), "_", " ")
}

// word draws a word for a slot; a multi-word noun is written with
// underscores in the lists.
func (g *generator) word(ep *episode, t *topic, speaker, name string) string {
	r := g.rng
	switch name {
	case "N":
		if r.Float64() < 0.85 {
			return pick(r, t.nouns)
		}
		return pick(r, general.nouns)
	case "V":
		return pick(r, t.verbs)
	case "A":
		return pick(r, t.adjs)
	case "T":
		return anyOf(r, t.terms)
	case "G":
		return pick(r, general.nouns)
	case "GV":
		return pick(r, general.verbs)
	case "GA":
		return pick(r, general.adjs)
	case "NUM":
		return anyOf(r, numbers)
	case "MONEY":
		return anyOf(r, money)
	case "PCT":
		return anyOf(r, percents)
	case "YEAR":
		return fmt.Sprint(2008 + r.IntN(17))
	case "DUR":
		return anyOf(r, durations)
	case "NAME":
		var others []string
		for _, p := range append(append([]string{}, ep.hosts...), ep.guests...) {
			if p != speaker {
				others = append(others, first(p))
			}
		}
		return anyOf(r, others)
	case "PERSON":
		return anyOf(r, firstNames) + " " + anyOf(r, lastNames)
	case "CO":
		return anyOf(r, companies)
	}
	panic("relevance: no slot " + name)
}

// speak adds the noise of speech to a sentence: an opener, fillers, a
// false start or a repeated word, and punctuation.
func (g *generator) speak(s string, question bool) string {
	r := g.rng
	words := strings.Fields(s)
	if r.Float64() < 0.08 && len(words) > 4 { // a false start: "we were, we were going to"
		k := 1 + r.IntN(3)
		restart := append([]string{}, words[:k]...)
		restart[k-1] = strings.TrimRight(restart[k-1], ",") + ","
		words = append(restart, words...)
	}
	var out []string
	if !question && r.Float64() < 0.3 {
		out = append(out, anyOf(r, openers))
	}
	for i, w := range words {
		if i > 0 && r.Float64() < 0.035 {
			out = append(out, anyOf(r, fillers))
		}
		out = append(out, w)
		if r.Float64() < 0.004 { // "the the"
			out = append(out, strings.TrimRight(w, ","))
		}
	}
	s = strings.Join(out, " ")
	s = strings.ToUpper(s[:1]) + s[1:]
	if question {
		return s + "?"
	}
	if r.Float64() < 0.05 {
		return s + "..."
	}
	return s + "."
}
