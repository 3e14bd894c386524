package analyze

import (
	"io/fs"
	"unicode"
	"unicode/utf8"
)

// Language detection: which language a post is written in, as an ISO 639-1
// code, so that a Spanish-speaking member's post can reach someone who
// answers in Spanish. Posts are short, so the method is simple and
// robust rather than statistical: the writing system decides for scripts
// used by one or two languages (Han, kana, Hangul, Cyrillic, Arabic,
// Devanagari, Greek, Hebrew, Thai); within the Latin script, the most
// common function words of each language are counted, helped by letters
// only some languages use. A post with no letters is "und"
// (undetermined); a Latin-script post without clear evidence for another
// language is English, the language the rest of the analyser reads.

// LanguageUndetermined is the language of a post without letters.
const LanguageUndetermined = "und"

// latinLanguages are the Latin-script languages told apart by words, in
// the order of their bits in wordInfo.lang and of the sections of
// data/language_words.txt.
var latinLanguages = [...]string{"en", "es", "fr", "pt", "de", "it", "tl", "vi"}

// addLanguageWords marks, in the word table t, the languages each
// function word (language_words.txt) and greeting (language_greetings.txt)
// belongs to; greetings count twice.
func addLanguageWords(fsys fs.FS, t *hashTable[wordInfo]) error {
	for _, f := range []struct {
		file  string
		shift uint // greetings set a second bit, 8 above the language's
	}{{"language_words.txt", 0}, {"language_greetings.txt", 8}} {
		secs, err := readList(fsys, f.file)
		if err != nil {
			return err
		}
		if err := singleWords(f.file, secs); err != nil {
			return err
		}
		langs, err := sectionsNamed(f.file, secs, latinLanguages[:])
		if err != nil {
			return err
		}
		for i, words := range langs {
			bits := uint16(1<<i | 1<<i<<f.shift)
			for _, w := range words {
				h := hashString(fnvOffset, w)
				info, _ := t.get(h)
				info.lang |= bits
				t.put(h, info)
			}
		}
	}
	return nil
}

// countLanguage adds the language evidence of a word with bits (see
// wordInfo.lang) to score.
func countLanguage(score *[len(latinLanguages)]int16, bits uint16) {
	for k := range score {
		if bits&(1<<k) != 0 {
			score[k]++
		}
		if bits&(1<<(8+k)) != 0 {
			score[k]++
		}
	}
}

// scriptLanguage is the language of a script that, in posts to a care
// team, almost always means one language.
var scriptLanguage = []struct {
	table *unicode.RangeTable
	lang  string
}{
	{unicode.Hangul, "ko"}, {unicode.Hiragana, "ja"}, {unicode.Katakana, "ja"}, {unicode.Han, "zh"},
	{unicode.Cyrillic, "ru"}, {unicode.Arabic, "ar"}, {unicode.Devanagari, "hi"}, {unicode.Greek, "el"},
	{unicode.Hebrew, "he"}, {unicode.Thai, "th"},
}

// detectLanguage returns the language of text from the word counts
// extract gathered in sig.
func detectLanguage(sig *signals, text string) string {
	if sig.words == 0 {
		return LanguageUndetermined
	}
	score := sig.lang
	if hasNonASCII(text) {
		lang, hints := scriptOf(text)
		if lang != "" {
			return lang
		}
		for k := range score {
			score[k] += 2 * int16(hints[k])
		}
	}
	best := 0
	for k := 1; k < len(score); k++ {
		if score[k] > score[best] {
			best = k
		}
	}
	// English unless another language has clear evidence: more of its
	// words than English, and two at least (a greeting counts two).
	if best != 0 && score[best] > score[0] && score[best] >= 2 {
		return latinLanguages[best]
	}
	return "en"
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// scriptOf returns the language of text's script when most of its letters
// are in a script of scriptLanguage; otherwise "" and, per Latin
// language, how many of its distinctive letters text has.
func scriptOf(text string) (string, [len(latinLanguages)]int) {
	var hints [len(latinLanguages)]int
	var counts [16]int
	letters, kana := 0, 0
	for _, r := range text {
		if r < utf8.RuneSelf {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				letters++
			}
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch unicode.ToLower(r) {
		case 'ñ', '¿', '¡':
			hints[1]++
		case 'ç', 'è', 'ê', 'à', 'ë', 'î', 'ï', 'ô', 'û', 'ù', 'œ':
			hints[2]++
		case 'ã', 'õ':
			hints[3]++
		case 'ß', 'ä', 'ö', 'ü':
			hints[4]++
		case 'ì', 'ò':
			hints[5]++
		case 'đ', 'ơ', 'ư':
			hints[7]++
		}
		if r >= 0x1EA0 && r <= 0x1EF9 { // Vietnamese tone-marked vowels
			hints[7]++
		}
		if r < 0x0370 {
			continue // Latin letters with diacritics
		}
		for k, s := range scriptLanguage {
			if unicode.Is(s.table, r) {
				counts[k]++
				if s.lang == "ja" {
					kana++
				}
				break
			}
		}
	}
	best, total := 0, 0
	for k := range scriptLanguage {
		total += counts[k]
		if counts[k] > counts[best] {
			best = k
		}
	}
	if total == 0 || 2*total < letters {
		return "", hints
	}
	if kana > 0 {
		return "ja", hints // Japanese mixes kana with Han
	}
	return scriptLanguage[best].lang, hints
}

// languageNames are the English names of the languages detectLanguage
// returns.
var languageNames = map[string]string{
	"en": "English", "es": "Spanish", "fr": "French", "pt": "Portuguese", "de": "German", "it": "Italian",
	"tl": "Tagalog", "vi": "Vietnamese", "ko": "Korean", "ja": "Japanese", "zh": "Chinese", "ru": "Russian",
	"ar": "Arabic", "hi": "Hindi", "el": "Greek", "he": "Hebrew", "th": "Thai", LanguageUndetermined: "undetermined",
}

// LanguageName returns the English name of a language code the analyser
// returns, or the code itself for another.
func LanguageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}
