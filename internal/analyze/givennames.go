package analyze

// firstNames are common given names from many countries, listed by
// Earshot's engineers from general knowledge. A capitalised word in this
// list is treated as a name even when it is also an English word.
const firstNames = `
aaron abby abigail adam adrian agnes aisha alan albert alejandro alex alexander alexandra alexis alfred alice
alicia alina alma amanda amber amelia amy ana andrea andrew andy angela anita ann anna anne annie anthony antonio
april ariana arthur ashley audrey austin barbara beatriz ben benjamin bernard beth betty bianca bill billy bob
bonnie brad brandon brenda brian brittany bruce bryan caitlin carl carla carlos carmen carol caroline carolyn
catherine cecilia charles charlie charlotte chloe chris christian christina christine christopher cindy claire
clara claudia colin connor craig crystal cynthia daniel daniela danielle david dawn dean deborah debra denise
dennis derek diana diane diego dolores donald donna doris dorothy douglas dylan edith edward eileen elaine
elena eli elijah elizabeth ella ellen emily emma enrico eric erica erik erin ethan eugene eva evan evelyn
felix fernando fiona frances francesca francisco frank fred gabriel gabriela gary george gerald giovanni gladys
gloria grace greg gregory hannah harold harry heather helen henry holly howard ian irene isaac isabel isabella
ivan jack jacob jacqueline james jamie jan jane janet janice jason javier jean jeff jeffrey jennifer jenny
jeremy jerry jesse jessica jill jim joan joe joel johanna john johnny jon jonathan jordan jorge jose joseph
joshua joyce juan judith judy julia julian julie justin karen karin kate katherine kathleen kathryn katie kayla
keith kelly ken kenneth kevin kim kimberly kristen kurt kyle larry laura lauren lawrence leah leif leo leon
leonard lily linda lisa logan lois lorenzo lori louis louise lucas lucia lucy luis luke lukas luiza lynn madison
manuel marco marcus margaret maria marie marilyn mario marion mark martha martin mary matthew maurice megan
melanie melissa michael michelle miguel mike mila mildred monica nancy natalie nathan nathaniel nicholas nicole
nina noah norma olga olivia oscar owen pablo pamela patricia patrick paul paula pedro peter philip phyllis
rachel ralph randy raymond rebecca richard rita robert roberto robin roger ronald rosa rose roxanne roy ruby
russell ruth ryan sally samantha samuel sandra sara sarah scott sean sebastian sergio shannon sharon shirley
sofia sophia sophie stephanie stephen steve steven susan sylvia tammy tanya teresa terry thomas tiffany
timothy tina todd tom tony tracy travis tyler valerie vanessa vera veronica vicki victor victoria vincent
virginia walter wanda wayne wendy william willie zachary zoe
ahmed ali fatima hassan mohamed mohammed omar yusuf aiko akira haruto hiroshi kenji naomi sakura takeshi
tomomi toshimi yuki yuto wei li ming chen jun hyun min ji priya rahul ravi anil sunita deepak arjun
anders astrid bjorn erik freya gunnar ingrid lars magnus nils olaf sven thor
agnieszka aleksandra andrzej anja bogdan dariusz dmitri ekaterina elena igor irina katarina krzysztof
maciej marek milan natasha nikolai oksana pavel piotr sergei svetlana tatiana tomasz vladimir yuri
istvan janos laszlo zoltan zsofia katalin krisztina gabor balazs
francois jacques jean pierre sylvie camille amelie helene
hans jurgen klaus wolfgang heinz gunther ursula helga jorg stefan stephan matthias
joao paulo rafael thiago lucas mateus ines beatriz
`
