package analyze

// General-English polarity words, written for Earshot by its engineers
// from everyday usage (conversation, social posts, reviews), to widen the
// customer-care lexicon in lexicon.go to the  of what people post:
// feelings, fun, food, weather, health, slang and internet shorthand. Not
// copied from any published word list. Same scale and "+" inflection as
// lexicon.go; where a word is in both, lexicon.go wins.

var generalNeg3 = `
abhor+ abomination agoniz+ agony apocalyptic asshole assholes atrocity bastard bastards
betrayal betrayed bitch bitches bloodbath brutal brutality catastrophe catastrophic
cunt damn+ damned dickhead disgust+ dishonest excruciating gruesome hatred heinous
hellish hideous horrified horrifying humiliat+ idiotic massacre miserably moron morons
murder+ murderer nauseating nazi obnoxious pedophile psycho racist racism rape+ raped
repulsive revolting ruthless sadistic scumbag shitty sickened slaughter+ slimy
suicide tortur+ toxic tragically traitor unbearably vicious wretched
`

var generalNeg2 = `
aggravat+ aggressive ache+ aching ailing alarm+ alarming alone anger angrily angst
antisocial apprehensive arrogant ashamed attack+ awkwardly backfire+ bankrupted
bitter blame+ bleak bloody blunder+ bogus bored boredom bothered bothersome brat
broken-hearted brokenhearted bullied bully+ bummed bummer burden+ burnt-out burnout
cheat+ cheated cheater childish chaos chaotic choke+ clueless clumsy coward cowardly
cranky crappy crazy creep cringe+ crisis critical crook crooked crushed cursed cynical
damaging dangerously dead-end deadly defeated defective deficient degrading dejected
deplorable depress+ depressing deprived desperate desperately despair destroy+
destroyed destruction detest+ devastate+ die dies dying dire disabled disadvantage
disagree+ disappoint+ disapprove+ disaster disconnected discourag+ discouraging
discriminat+ disgrace dislike+ disliked dismal dismay+ disorganized displeased
disrespect+ dissatisfied distraught distress+ distressing distrust+ disturb+ disturbing
dread+ dreary drown+ dull dumbest eerie embarrass+ embarrassing embarrassment
enemy enrage+ envious envy evil-minded exasperat+ excuse+ exhaust+ fake fatal fault+
faulty fearful feeble fiasco fight+ filth flaw+ flawed flop+ foolish forgotten
fraudulently freaked freaking frighten+ frightening frown+ fume+ fury gloom gloomy
greed greedy grief-stricken grim grouchy grr grrr grumpy guilt guilty harass+
harassment harm+ harmful harsh hate-filled headache headaches heartbroken heartless
heck hell helplessness hesitat+ hideously hurtful hypocrite hypocritical ignorant
ill illness impatient imperfect incapable incompetently inconsiderate inept inferior
infuriate+ injur+ injury injustice insane insecure insensitive insufferable insult
intimidat+ irate irresponsible irritat+ irritating isolated jealous jerk jerks junk
kidnap+ lackluster lag+ laggy lazy  lethal lies lonely loneliness loser losers
losing loss losses  meaningless menace messy misery misfortune mishap misinformed
miss+ mistake+ misunderstood moan+ mock+ morbid mourn+ mourning murky nag+ naive
nauseous nervous neglected nerve-racking nightmares no-show noo nooo obnoxiously
offend+ offended offensive oppress+ outdated overwhelmed overwhelming  panic+
paranoid pathetically penalize+ pessimistic pest petty phony pity poison+ poisonous
pointless pollut+ poorly powerless problematic protest+ punish+ puzzled rage+ raging
rant+ rash regretful reject rejection reluctant remorse resent+ resentful revenge
ridicule+ rip-off ripped-off risk+ risky rot+ rotten rubbish rude+ rudely sadden+
sadness savage scandal scare+ scary scream+ screw+ screwed selfish severe shady
shaken sick+ sickness sigh+ skeptical slap+ sloppy slow+ snob snobby sob+ sobbing
sore sorrow sour spam spammer spiteful stale starving steal+ stink+ stinks stinky
stolen strain+ stranded stressed struggl+ stubborn stunk stupidity subpar suck+
suffered suspicious tantrum tease+ tense terrified terrify+ terror threat+ threaten+
thief tired tiresome torn tough tragic trapped trauma trouble+ troubled troublesome
ugly unacceptable unable unclean uncomfortable unconvinced undermine+ unemployed
unfriendly unhealthy unimpressed unlucky unpleasant unprepared unsatisfied unstable
unsuccessful unsure untrue unwanted unwell unwelcome upsetting urgh useless
vague vent+ victim+ violat+ violence violent vomit+ vulnerable wack warn+ warning weak
weakness weary weep+ whine+ whiny wicked withdrawal woe worn-out worried worrying
worse worsen+ wounded wrecked yuck yucky
`

var generalNeg1 = `
anymore argh bah blah blegh boo cloudy cough+ coughing cramp+ dark  drizzle
exam exams eh fever flu freezing frozen gah grey gray homework hmph hungover
hurry insomnia itchy lonesome  meh  monday mondays mundane
nausea nope overcast rain rainy sleepless sleepy sneez+ sniffle+ snow+ sore-throat
stormy sunburn tedious   wet whatever wrinkle+ yawn+
`

var generalPos1 = `
accept+ accepted accomplish+  adequate  agree+ agreed  alright
approve+ approved attractive  awake balanced bargain beauty benefit+
bless bonus bright calming casual  charm charming cheap cheer+ clean+ clear
clever comfort+ comfy community complete+ confident considerate content cozy cosy
creative cuddle+ cuddly curious cute dance+ dancing  dear delicate deserve+
determined dream+ eager earn+ easier easily educational effective elegant encourag+
energetic  enjoy engaged entertain+ entertaining enthusiastic ethical fair
faith faithful fame famous fancy fest fiesta finally fit fresh friend friends
friendship fulfill+ generous genuine gift+ gifted giggle+ goal  grin+ grinning
growth haha hah handy harmony heal+ healing healthy hehe heh hello hi holiday holidays
 honest honor+ honour+ hooked hug+ hugs hugging humble humor humour 
 ideal improve+ improved improvement independent innocent inspir+ interest+
interested interesting intriguing invite+ invited joke+ joking kiss+ kisses laid-back
learn+ legit legend lighthearted lively lmao lmfao lovable loyal loyalty luck mature
meaningful mercy merry motivat+ neat nifty novel  optimism optimistic
organized paradise party partying passion passionate peace peaceful play+ playful
pleasure popular positive powerful pretty prize productive progress promise+
promising promote+ protect+ proper prosper+ pure qualified relax+ relaxed relaxing
reliable relieve+  rested restful reward+ rewarding rich  romance romantic
safely satisfied satisfy+ save+ saved secure sexy shine+ shiny simple sincere skilled
 snack snuggle+ sober soft solid soothing sparkle+ special spirit stable
steady strong stronger success successful suitable sunny sunshine support+ supported
 surprise+ survive+ sweetheart talent talented thoughtful tidy tnx thx trust+
trusted truth understand+ understanding unique upbeat useful valuable vacation
victory vibrant warm warmth weekend welcomes whee wise wish+ wishes worth worthy
yes yeah yep yup zen
`

var generalPos2 = `
adorable adventure adventurous affection affectionate amaze+ amazed amazingly
amused amusing appreciation astonishing awe awesomely beloved blessing blissful
bliss bravo breathtaking buzzing celebrate+ celebration charmed cheerful cheers
cherish+ chill classy comical congrat congratulate+ cracking dazzling dedicated
delicious delighted devoted dope eagerly ecstasy elated enchanting encouraged
enjoying enthusiasm epic excellence excite+ exhilarating fab fabulously faithfully
fantastically fascinat+ festive  fond fortunate freedom friendly fulfilled
funny funnier funniest genius gladly glee gleeful goodness gorgeously graceful
gracious gratitude  greatness handsome happier happiest happily happiness
hearty heartwarming  hilarious hilariously honored honoured hope-filled
hopefully hospitable huzzah   inspiration inspired
inspiring invaluable joy joyful joyous jubilant kindness legendary lifesaver lovely
loving luckily lucky magic magical masterpiece memorable merriment mesmerizing
miracle miraculous nicest peachy perfection phenomenally pleasantly 
positivity precious prettiest pride proudly radiant recommended refreshed rejoice+
relish+ remarkable respect+ respected rocks rocked rocking satisfying scrumptious
sensational smashing smitten spectacularly splendid stoked stunning stylish super
superstar supportive sweetest sweetness tasty thankfully thrill+ thrilling
tremendous triumph+ triumphant trustworthy ty valued victorious welcoming
well-done wholesome winner wonder+ wonderfully woot woo-hoo wow yum yummy
`

var generalPos3 = `
euphoric exquisite heavenly loveliest marvelously mind-blowing wondrous
breathtakingly 
`

// Life events, achievements and losses, and the shorthand of social
// posts.
var lifeNeg2 = `
accident+ addict+ ambulance arrest+ arrested broke-up breakup cancer chemo
collapse+ coma conflict+ crashed cried divorce+ dumped evict+ evicted explode+
explosion fired flood+ flooded funeral homeless hospitalized hostage injured jail
laid-off layoff+ layoffs lawsuit+ miscarriage mugged murdered overdosed
prison robbed robbery shooting shot sicko sinking slump stroke
terrorist tumor unemployment victims wildfire wreck+
argh ffs fml gtfo idgaf smdh wtaf ughh ugggh grrrr fuming boohoo sadface
nevermind whyyy omfg dang darn shucks yikes oof oops welp sigh meltdown
nah naw
`

var lifePos2 = `
accepted-into achiev+ achievement adopted anniversary award+ awarded birthday
bday bff bffs champion+ championship cheering cured engaged engagement
graduat+ graduation hired honeymoon newborn promoted promotion raise recovered
recovery reunion reunited scholarship survived touchdown victory wedding won
xoxo xo luv lovin lovee yaaay yayy woop woohoo wooo hehehe hahaha lolol rofl
lmaoo bae fave faves goodnight goodmorning gm gn congratz grats kudo props
dope lit slay+ slayed goat iconic vibes vibing
`
