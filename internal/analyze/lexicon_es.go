package analyze

// Spanish polarity words, written for Earshot by its engineers from
// everyday usage in posts to health plans and hospitals, so that the
// sentiment of a Spanish-speaking member's post is read too. Same scale as
// lexicon.go, without "+" inflection (Spanish inflects differently, so
// forms are listed); accented and unaccented spellings both, as people
// type both. Where a form is also an English word in lexicon.go, the
// English entry wins.

var spanishNeg3 = `
pésimo pesimo pésima pesima pésimos pesimos horrible horribles asqueroso asquerosa
inaceptable vergonzoso vergonzosa vergüenza verguenza indignante fatal terrible terribles
`

var spanishNeg2 = `
malo mala malos malas mal peor peores grosero grosera groseros groseras sucio sucia sucios sucias
molesto molesta molestos enojado enojada enojados furioso furiosa frustrado frustrada frustrante
decepcionado decepcionada decepcionante harto harta cansado cansada ridículo ridiculo ridícula ridicula
injusto injusta abuso robo robaron estafa estafaron mentira mentiras mintieron problema problemas
rechazaron negaron negado negada ignoran ignoraron nadie nunca jamás jamas queja quejas reclamar
dolor sufriendo preocupado preocupada triste desesperado desesperada lamentable incompetentes
`

var spanishPos2 = `
gracias agradecido agradecida agradecidos agradezco bueno buena buenos buenas bien excelente excelentes
amable amables maravilloso maravillosa maravillosos increíble increible genial perfecto perfecta
feliz contento contenta encantado encantada rápido rapido rápida rapida ayudaron ayudó ayudo atentos atentas
profesional profesionales recomiendo bendiciones felicidades cariño carino paciencia
`
