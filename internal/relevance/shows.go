package relevance

// show is a podcast: its hosts, what it talks about, the sponsors that
// buy its ad breaks, and the intro and outro it reads every episode.
//
// Templates (intro, outro and sponsor reads) are expanded by expand:
// {host}, {guest}, {show}, {slug}, {code}, {pct}, {days} are filled in,
// and [a|b|c] picks one wording, so each reading is near-verbatim with the
// small changes real reads have.
type show struct {
	name     string
	slug     string // for URLs and offer codes
	hosts    []string
	topics   []string // by topic name; episodes pick from these, and now and then from any
	sponsors []string // by sponsor name
	intro    string
	outro    string
}

// sponsor is an advertiser whose read recurs across shows and episodes.
type sponsor struct {
	name  string
	topic string   // the conversation topic its words overlap with
	pcts  []string // what {pct} may be
	read  string
}

var shows = []show{
	{
		name: "Zero to Series A", slug: "zerotoa",
		hosts:    []string{"Maya Okafor"},
		topics:   []string{"startups", "fundraising", "hiring", "marketing"},
		sponsors: []string{"Ledgerly", "Hirewell", "Clearfile", "Restwell"},
		intro:    `[Welcome|Hey everyone, and welcome] to Zero to Series A, the show where founders tell the real story of building a company, [the messy parts included|including the messy parts]. I'm your host, {host}. Every week I sit down with someone who has been in the trenches, and we talk about what worked, what didn't, and what they would do differently. Today my guest is {guest}. {guestfirst}, welcome to the show.`,
		outro:    `And that's our show. [Thanks so much|A huge thank you] to {guest} for coming on. If you liked this episode, the best thing you can do is rate and review Zero to Series A wherever you get your podcasts, and send it to a friend who is building something. Show notes and links are at zerotoa.fm. I'm {host}, and I'll see you next week.`,
	},
	{
		name: "Lead Time", slug: "leadtime",
		hosts:    []string{"Daniel Whitfield", "Priya Raman"},
		topics:   []string{"managers", "hiring", "remote work", "health"},
		sponsors: []string{"Hirewell", "Cohortly", "Restwell", "Fresh Fork"},
		intro:    `This is Lead Time, the podcast about managing people [without losing your mind|and keeping your sanity]. I'm {host}, [and as always I'm here with|joined as always by] {cohost}. Each episode we talk to a leader about the unglamorous parts of the job: feedback, hiring, one on ones, and the conversations nobody prepares you for. Our guest today is {guest}.`,
		outro:    `That's it for this episode of Lead Time. [Thank you|Thanks again] {guest}. If you have a management question you want us to take on, send it to questions@leadtime.fm, we read every one. And if the show helps you, tell one other manager about it. I'm {host}. [Take care of your people|Go take care of your team], and we'll see you next time.`,
	},
	{
		name: "Unit Economics", slug: "unitecon",
		hosts:    []string{"Tom Becker"},
		topics:   []string{"pricing", "retention", "marketing", "startups"},
		sponsors: []string{"Cohortly", "Ledgerly", "Clearfile"},
		intro:    `You're listening to Unit Economics, where we take apart how software companies actually make money. I'm {host}. [No hype, no vanity metrics|No vanity metrics, no hype], just pricing, retention and the numbers underneath. My guest today is {guest}, and [we are going to get into it|we get right into it].`,
		outro:    `[That's all for today|That's our episode]. Thanks to {guest} for being so open with the numbers. Unit Economics is independent and listener supported, so if you got something out of this, leave us a rating and share the episode with your team. Transcripts and charts are at uniteconomics.show. I'm {host}, see you in two weeks.`,
	},
	{
		name: "Signal and Noise", slug: "signal",
		hosts:    []string{"Lena Park"},
		topics:   []string{"machine learning", "startups", "health", "compliance"},
		sponsors: []string{"Clearfile", "Cohortly", "Restwell", "Hirewell"},
		intro:    `Hello and welcome to Signal and Noise, [conversations about machine learning in the real world|the show about machine learning outside the lab]. I'm {host}. On this show we skip the hype and talk to the people who put models into production and live with the consequences. Joining me today is {guest}.`,
		outro:    `And that's a wrap on this episode of Signal and Noise. [Many thanks|Thank you so much] to {guest}. You can find links to everything we mentioned at signalandnoise.ai. If you enjoyed it, please subscribe and leave a review, it really helps other people find the show. I'm {host}, and until next time, stay curious.`,
	},
	{
		name: "Well Fed", slug: "wellfed",
		hosts:    []string{"Rosa Jimenez", "Sam Carter"},
		topics:   []string{"cooking", "health", "startups"},
		sponsors: []string{"Fresh Fork", "Restwell", "Ledgerly"},
		intro:    `Hi, and welcome to Well Fed, the show about cooking, eating and living a little better. I'm {host}, and I'm here with {cohost}. Every week we invite someone into the kitchen to talk about food, habits and [the meals that shaped them|the dishes that made them who they are]. Today that someone is {guest}.`,
		outro:    `That's it for Well Fed this week. [Thank you|Big thanks] to {guest} for cooking with us. Recipes from today's episode are on wellfed.kitchen, and if you make one, tag us, we love seeing them. I'm {host}, [eat well|cook something good], and we'll talk soon.`,
	},
	{
		name: "Audit Trail", slug: "audittrail",
		hosts:    []string{"Grace Liu"},
		topics:   []string{"compliance", "startups", "machine learning", "hiring"},
		sponsors: []string{"Clearfile", "Ledgerly", "Hirewell"},
		intro:    `Welcome to Audit Trail, the podcast about security, privacy and compliance for people who build software. I'm {host}. Every episode I talk with someone who has been through the audits, the breaches or the regulators, and we try to [make compliance less painful|take some of the pain out of compliance]. My guest today is {guest}.`,
		outro:    `That's the end of this episode of Audit Trail. Thank you {guest}. If someone on your team is about to go through their first audit, send them this episode. Show notes are at audittrail.fm, and [you can reach me there|my inbox is open there] too. I'm {host}. Stay secure, and I'll see you next time.`,
	},
}

var sponsors = []sponsor{
	{
		name: "Clearfile", pcts: []string{"15", "20", "25"}, topic: "compliance",
		read: `[This episode is brought to you by|Today's episode is sponsored by] Clearfile. If you're selling to bigger companies, sooner or later someone asks for your SOC 2 report, and doing compliance by hand means spreadsheets, screenshots and months of chasing evidence before the audit. Clearfile connects to your cloud, your HR system and your code, collects the evidence automatically and keeps your policies and controls continuously monitored, so you can be audit-ready for SOC 2, ISO 27001, HIPAA or GDPR in weeks instead of months. [I've seen|I have watched] a lot of founders lose deals over compliance, and Clearfile makes compliance the boring part again. Go to clearfile.com/{slug} and use code {code} for {pct} percent off your first year. That's clearfile.com/{slug}, code {code}.`,
	},
	{
		name: "Hirewell", pcts: []string{"20"}, topic: "hiring",
		read: `[This episode is supported by|Support for this episode comes from] Hirewell. Hiring is the most important thing you'll do this year, and it's also the most chaotic: candidates in five inboxes, interview feedback in Slack, offers in a Google doc. Hirewell puts your whole hiring pipeline in one place, from the job post to structured interviews and scorecards to the offer letter, and its sourcing finds great candidates you'd never reach on your own. Teams using Hirewell hire [about|roughly] twice as fast. Right now, listeners of {show} get their first {days} days free at hirewell.com/{slug}. That's hirewell.com/{slug}.`,
	},
	{
		name: "Cohortly", pcts: []string{"20", "30", "40"}, topic: "retention",
		read: `[This episode is brought to you by|A word from our sponsor,] Cohortly. Do you actually know why users churn? Cohortly is product analytics that answers the questions your dashboard can't: which onboarding step loses people, which cohorts retain, and what your best customers do in their first week. Set it up in an afternoon, no data team required, and see your retention curves by the end of the day. Companies like yours use Cohortly to find their aha moment and improve retention by [up to|as much as] {pct} percent. Start free at cohortly.io/{slug}, and mention {show} to get three months of the growth plan on us.`,
	},
	{
		name: "Ledgerly", pcts: []string{"4.1", "3.8", "4.5"}, topic: "fundraising",
		read: `[This show is sponsored by|Today's sponsor is] Ledgerly, the finance stack for startups. When you've just closed a round, the last thing you want is to babysit your bank. Ledgerly gives you business banking, corporate cards and treasury in one account, with {pct} percent yield on your idle cash and FDIC coverage up to $5 million through partner banks. Founders use it to see their runway and burn in real time, and their investors love the monthly updates. Ledgerly is a financial technology company, not a bank. [Open an account|Sign up] in ten minutes at ledgerly.com/{slug} and get a $500 credit with code {code}.`,
	},
	{
		name: "Fresh Fork", pcts: []string{"50", "60", "40"}, topic: "cooking",
		read: `[This episode is brought to you by|We're supported today by] Fresh Fork. Weeknight dinners are hard: you get home tired, the fridge is a mystery, and you end up ordering takeout again. Fresh Fork sends you fresh, pre-portioned ingredients and chef-written recipes that take 20 minutes, so you actually cook, with less waste and no grocery run. There are vegetarian, high-protein and family plans, and you can skip any week. [Go to|Head over to] freshfork.com/{slug} and use code {code} for {pct} percent off your first box, plus free dessert for life.`,
	},
	{
		name: "Restwell", pcts: []string{"15", "20", "25"}, topic: "health",
		read: `[This episode is sponsored by|Our sponsor today is] Restwell. Sleep is the foundation of your health, your mood and honestly your work, and a bad mattress quietly ruins it. Restwell mattresses are made with cooling foam and zoned support for your back, and every one comes with a {days} night trial, so you can sleep on it and decide at home. {host} here: [I've been sleeping on mine|I switched to mine] for a year, and I wake up without back pain. Go to restwell.com/{slug} for {pct} percent off your mattress, and use code {code} at checkout.`,
	},
}
