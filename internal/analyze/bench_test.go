package analyze

import (
	"testing"
)

// benchPosts are typical posts of different shapes and lengths.
var benchPosts = []string{
	"@HealthPlan been on hold for 45 minutes and still no answer about my claim #fail",
	"Thank you to the nurses on 4 West, you were amazing with my dad ❤️",
	"@CityHospital what are visiting hours on the weekend?",
	"My name is Dana Whitfield, member ID XJH482913557, DOB 04/12/1986. Call me at (512) 555-0199 about my insulin prior auth.",
	"Just got my insurance card. It's confusing and I can't afford it. #mistake #swindled #PPO",
	"The ER at 1200 Oak Street was filthy and we waited 6 hours. My son has asthma and could barely breathe. Never again.",
}

func BenchmarkAnalyze(b *testing.B) {
	a := New()
	rating := 2
	in := make([]Input, len(benchPosts))
	for i, p := range benchPosts {
		in[i] = Input{Text: p, Kind: "post", Followers: 120}
	}
	in[1].Rating = &rating
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Analyze(in[i%len(in)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

func BenchmarkSentiment(b *testing.B) {
	a := New()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.Sentiment(benchPosts[i%len(benchPosts)])
	}
}

func BenchmarkFindPHI(b *testing.B) {
	a := New()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.FindPHI(benchPosts[i%len(benchPosts)])
	}
}

func BenchmarkAnalyzeAirline(b *testing.B) {
	rows := readJSONLB(b, "../../../shared/data/sentiment/airline_dev.jsonl")
	a := New()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Analyze(Input{Text: rows[i%len(rows)]})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}
