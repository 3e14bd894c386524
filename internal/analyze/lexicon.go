package analyze

import "strings"

// The polarity lexicon below was written for Earshot by its engineers from
// everyday English usage in customer-care conversations; it is not copied
// from any published word list. Scores run from -3 (strongly negative) to
// +3 (strongly positive). Words inflect with a trailing "+" (see phrase.go).

var lexiconNeg3 = `
abysmal appalling atrocious awful disgusting disgraceful dreadful horrible horrendous
horrific nightmare pathetic terrible worst hate+ hated hateful despise+ loathe+ furious
outrage+ outrageous livid unacceptable inexcusable unforgivable scam+ scammer+ fraud
fraudulent criminal disastrous disaster useless incompetent incompetence garbage trash
crap crappy shitty shit fuck fucking fucked wtf bullshit sucks sucked worthless vile
heartbreaking devastated devastating traumatic traumatized negligent negligence
malpractice abusive abuse+ cruel evil ripoff swindle+ fuming sickening infuriating
`

var lexiconNeg2 = `
bad poor rude angry annoyed annoying frustrated frustrating frustration disappointed
disappointing disappointment upset sad unhappy miserable ridiculous absurd shameful shame
fail+ failure unprofessional disrespectful dismissive careless sloppy lousy lame
mess messed broken broke ruin+ ruined stuck stranded lost missing cancel+ cancelled
canceled cancellation delay+ delayed overcharge+ overcharged overbilled refuse+ denied
deny+ rejected reject+ ignore+ ignored neglect+ mistreat+ insult+ insulting worse
confusing confused nasty stupid idiot idiots dumb ugh smh meh sick hurt+ pain painful
suffer+ suffering scared afraid fear worried worry anxious stress+ stressful
nightmarish hassle nonsense joke unreliable unhelpful uncaring unfair unjust wrong
problem+ issue+ error+ glitch+ bug+ crash+ outage wasted waste+ waiting dirty filthy
smelly cold hostile liar lie+ lying misleading mislead+ sucky boring bored tired exhausted
exhausting sorry regret+ complain+ complaint+ mad pissed hungry delayed late hopeless
helpless awkward creepy gross shocking shocked unbearable unsafe dangerous damage+
damaged leak+ stolen theft tragic tragedy died death dead kill+ killed war poverty
cry+ crying tears lonely depressed depression anxiety grief grieving sadly unfortunately
unfortunate inconvenience+ inconvenient impossible difficult slow slowest expensive
pricey overpriced unaffordable bankrupt debt collections penalty fee+ surcharge
`

var lexiconNeg1 = `
not-great meh okay-ish mediocre average bland confusing unclear complicated hard long
longer longest again still yet wait+ hold holding queue unanswered unresolved pending
nobody nothing never cost+ charged bill+ billed owe+ strange weird odd doubt+ concern+
concerned unsure hesitant lacking limited lack+ tiny cramped crowded noisy loud
`

var lexiconPos1 = `
ok okay fine fair decent good nice helpful polite kind friendly clean quick fast easy
smooth resolved fixed solved ready safe glad pleased welcome welcomed comfortable
reasonable respectful patient professional efficient prompt timely informative
recommend+ enjoy+ enjoyed like liked hope+ hopeful relief relieved calm better
acceptable adequate
`

var lexiconPos2 = `
great awesome happy thanks thank thankful grateful appreciate+ appreciated appreciative
love+ loved lovely wonderful fantastic excellent amazing impressed impressive
caring compassionate attentive thorough knowledgeable courteous superb beautiful
brilliant fabulous terrific delighted delightful pleasant cool sweet fun excited
exciting exceptional outstanding perfect perfectly best kudos bravo congrats
congratulations yay woohoo hooray win winner winning lucky blessed proud
praise+ recommend+ smile+ smiling laugh+ laughing lol haha hahaha heaven heavenly
gem hero heroes angel angels rockstar rockstars gentle reassuring supportive
lifesaver wow enjoyable favorite favourite fav refreshing glorious gorgeous cute
`

var lexiconPos3 = `
outstanding phenomenal exceptional extraordinary incredible marvelous marvellous
superb stellar flawless magnificent thrilled ecstatic overjoyed adore+ adored
lifesaving life-saving unforgettable spectacular awesomeness
`

// buildLexicon returns word hash -> polarity.
func buildLexicon() map[uint64]float32 {
	m := map[uint64]float32{}
	for _, g := range []struct {
		words string
		score float32
	}{
		{lexiconNeg1, -1}, {lexiconNeg2, -2}, {lexiconNeg3, -3},
		{lexiconPos1, 1}, {lexiconPos2, 2}, {lexiconPos3, 3},
	} {
		for _, w := range strings.Fields(g.words) {
			for _, f := range inflections(w) {
				m[hashString(fnvOffset, f)] = g.score
			}
		}
	}
	// The general list widens coverage; it never overrides the care list.
	for _, g := range []struct {
		words string
		score float32
	}{
		{generalNeg1, -1}, {generalNeg2, -2}, {generalNeg3, -3},
		{generalPos1, 1}, {generalPos2, 2}, {generalPos3, 3},
		{lifeNeg2, -2}, {lifePos2, 2},
		{spanishNeg3, -3}, {spanishNeg2, -2}, {spanishPos2, 2},
	} {
		for _, w := range strings.Fields(g.words) {
			for _, f := range inflections(w) {
				h := hashString(fnvOffset, f)
				if _, ok := m[h]; !ok {
					m[h] = g.score
				}
			}
		}
	}
	return m
}

// Intensifiers scale the next polarity word; diminishers soften it.
var intensifiers = setOf("very", "so", "really", "extremely", "super", "totally", "absolutely",
	"incredibly", "truly", "completely", "utterly", "seriously", "highly", "most", "too",
	"ridiculously", "insanely", "beyond", "deeply", "way")

var diminishers = setOf("slightly", "somewhat", "kinda", "kind", "sort", "sorta", "bit",
	"little", "barely", "mildly", "fairly", "pretty")
