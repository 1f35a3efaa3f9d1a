"""The linguistic rules of news prose the tagger relies on: word lists, not data sets.

Everything is lower-case; look words up with ``word.lower()``.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


# Words that name a role. Before a name they make it a person and are not part of it.
TITLE_HEADS = _words("""
president president-elect vice-president premier chancellor minister secretary
secretary-general governor senator sen. congressman congresswoman congressmember
representative rep. speaker mayor ambassador envoy consul general gen. lieutenant lt.
colonel col. major maj. captain capt. commander cmdr. admiral adm. sergeant sgt.
marshal brigadier corporal private king queen prince princess emperor empress emir
sultan sheikh shaikh crown pope cardinal archbishop bishop reverend rev. rabbi imam
ayatollah patriarch judge justice prosecutor counsel attorney solicitor barrister
director chairman chairwoman chair chairperson ceo cfo coo founder co-founder leader
spokesman spokeswoman spokesperson adviser advisor aide commissioner inspector
superintendent chief mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame
lord lady baroness baron coach manager striker midfielder defender goalkeeper forward
winger president-elect democrat republican tory administrator officer executive
presenter host chancellor-elect premier-elect treasurer auditor magistrate sheriff
astronaut scientist researcher physicist biologist chemist novelist artist producer
playwright poet composer conductor designer architect chef driver rider cyclist jockey
boxer batsman bowler pitcher quarterback sprinter swimmer skier gymnast golfer
lawmaker legislator mp mep deputy official diplomat
negotiator economist analyst correspondent reporter editor author actor actress singer
""")

# Words that qualify a role ("Defense Secretary", "Deputy Attorney General").
TITLE_MODIFIERS = _words("""
deputy vice acting former interim assistant associate special senior chief top first
defense defence foreign interior finance health trade economy economic energy justice
home treasury labor labour education transport transportation environment agriculture
commerce state national security intelligence army navy naval air force military prime
attorney supreme grand crown house senate majority minority opposition party cabinet
culture sports brexit development immigration housing press communications executive
managing federal regional provincial county district independent democratic republican
conservative liberal socialist general joint parliamentary permanent presidential
royal high lord police fire emergency civil counter-terrorism terrorism homeland
international world global european african asian arab western eastern northern
southern central team club head financial operating technology information marketing
commercial medical scientific legal sales product creative football sporting technical
administrative editorial political economic strategic
""")

# Role words for government functions: "Foreign Ministry" names no particular ministry.
GENERIC_MODIFIERS = _words("""
foreign defense defence interior finance health trade economy economic energy justice
home treasury education transport transportation environment agriculture commerce state
national security intelligence military federal regional provincial district county
supreme high central city municipal local public police fire emergency culture sports
labour-market the new
""")

# Multi-word roles that contain "of": "Secretary of State", "Chief of Staff".
TITLE_OF_PHRASES = _words("""
state defense defence staff the national homeland energy health justice
commerce agriculture education labor labour transportation treasury
veterans interior foreign finance
""")

# Nationality adjectives: never entities themselves, and they may stand before a role.
DEMONYMS = _words("""
american russian british french german syrian iranian israeli turkish chinese japanese
indian pakistani afghan iraqi saudi egyptian jordanian lebanese palestinian ukrainian
polish italian spanish portuguese dutch belgian swiss austrian swedish norwegian danish
finnish estonian latvian lithuanian hungarian czech slovak slovenian romanian bulgarian
greek serbian croatian bosnian albanian kosovar montenegrin macedonian canadian mexican
brazilian argentine argentinian chilean colombian venezuelan cuban peruvian bolivian
ecuadorian uruguayan paraguayan australian korean vietnamese thai indonesian malaysian
filipino singaporean burmese cambodian nepalese bangladeshi sri lankan nigerian kenyan
ethiopian somali sudanese libyan tunisian algerian moroccan ghanaian ugandan tanzanian
rwandan congolese zimbabwean qatari emirati yemeni omani kuwaiti bahraini kurdish
belarusian georgian armenian azerbaijani kazakh uzbek turkmen tajik kyrgyz mongolian
european african asian arab western eastern irish scottish welsh english icelandic
maltese cypriot luxembourgish new zealand taiwanese tibetan uighur uyghur druze sunni
shia shiite alawite muslim jewish catholic orthodox coptic islamist jihadist
soviet ottoman latin nordic baltic balkan gulf pan-arab north south
""")

# Capitalised words that start sentences or headlines but are never entities.
STOPWORDS = _words("""
the a an this that these those it its he she they we i you his her their our my your
him them us me but and or nor so yet for if when while where what who whom whose why
how as at in on of to from by with without after before since during under over into
onto about against between among through throughout across along around beyond near
meanwhile however moreover furthermore also still now then today yesterday tomorrow
tonight presently earlier later despite although though because unless until asked
according speaking some many most both each every several few no not there here
such another more less much once twice again indeed instead thus hence therefore
otherwise nevertheless nonetheless besides overall finally eventually initially recently
currently previously already soon perhaps maybe yes okay ok well even just only
breaking update updated exclusive analysis opinion editorial comment photo photos video
videos watch live read click share advertisement sponsored related
""")
# Only words that can never be part of a name belong above: "State" (Islamic State),
# "New" (New York), "Forces" (Syrian Democratic Forces) must not split a name.

WEEKDAYS_MONTHS = _words("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri
sat sun january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec
""")

# Acronyms and capitalised terms that are not people, places or organisations.
NOT_ENTITIES = _words("""
gdp gnp cpi ceo cfo coo cto tv am pm bc ad ok ai it pr hr
covid covid-19 sars mers hiv aids dna rna lng gmt utc est edt pst cet bst usd eur gbp
rpg isbn pdf faq vip mvp nba-style op-ed q&a ps i.e. e.g. etc. vs. v. no. nos. jr. sr.
brexit internet web god allah islam christianity judaism buddhism hinduism ipo etf nft
api ngo ngos ufo wmd lgbt lgbtq lgbtq+ stem ppe icu gps usb html url diy rip asap fyi hq
iq id phd mba vat gst suv ev evs var odi lbw ko mp mps mep meps pm cctv ai cop dna
dram nand sram cpu gpu ram ssd led lcd oled lte wifi hdmi http https svg css xml json
sms mms gmo hiv/aids mri ct pcr
breaking urgent corrected correction editor's note
""")

# Last words that make a name an organisation ("Democratic National Committee").
ORG_HEADS = _words("""
party parties committee council commission ministry department agency bureau office
authority administration service services board assembly parliament congress senate
court tribunal bank fund group corporation corp corp. company co co. inc inc. ltd ltd.
llc plc holdings industries airlines airways motors media news network press times post
journal herald telegraph tribune gazette chronicle radio television tv broadcasting
university college institute academy school hospital clinic foundation association
society union federation league alliance coalition front movement organization
organisation forces army navy guard police brigade brigades militia centre center club
fc cabinet secretariat command corps directorate trust partners capital bancorp
exchange observatory agency's institute's laboratories labs systems technologies
energy petroleum oil gas pharmaceuticals group's technology resources steel mining
minerals chemicals telecom telecommunications bancorp insurance
""")

# Last words that make a name a place ("Yarmouk Basin").
PLACE_HEADS = _words("""
province governorate region district county oblast prefecture valley river mountains
mountain hills heights basin desert island islands peninsula sea ocean gulf bay strait
lake coast canal plateau delta archipelago territory territories republic crater
glacier volcano
""")

# Last words of names we do not tag: facilities, events, laws, awards, products.
OTHER_HEADS = _words("""
stadium arena palace castle airport hotel square street avenue road bridge tower
building hall park museum cathedral mosque church temple base prison summit conference
forum treaty agreement act accord declaration war wars cup games olympics championship
championships prize award awards day week festival election elections crisis pipeline
plan deal initiative program programme report index ball trophy medal series tour
protocol convention doctrine bill law amendment resolution memorandum strategy policy
operation campaign revolution uprising spring telescope rover spacecraft satellite
probe vaccine virus variant drug pill app software chip phone console game album song
film movie novel book show series season episode
""")

# "in Moscow", "from Helsinki": before an unknown single name, a sign of a place.
LOCATIVE_WORDS = _words("in at from near outside inside across to into toward towards via")

# "the province of Sweida", "the city of Daraa".
PLACE_OF_WORDS = _words("""
province city town village region district capital state county island port
governorate municipality suburb neighbourhood neighborhood
""")

# Abbreviations whose dot does not end a sentence.
ABBREVIATIONS = _words("""
mr. mrs. ms. dr. gen. col. lt. sgt. sen. rep. gov. st. prof. capt. cmdr. adm. maj. rev.
pres. mt. ft. jr. sr. no.
""")

# Lower-case words allowed inside a name: "Bank of England", "Ursula von der Leyen".
CONNECTORS = (
    "of",
    "of the",
    "and",
    "for",
    "for the",
    "de",
    "da",
    "do",
    "dos",
    "das",
    "del",
    "della",
    "di",
    "du",
    "des",
    "van",
    "von",
    "der",
    "den",
    "ter",
    "la",
    "le",
    "bin",
    "ibn",
    "bint",
    "al",
    "el",
    "y",
)

# Endings that make a hyphenated name an adjective: "US-led", "New York-based". Other
# lower-case endings belong to the name ("Jong-un", "Heung-min").
ADJECTIVE_SUFFIXES = _words("""
based led backed born owned run made style era funded linked allied aligned controlled
occupied held bound wide speaking sponsored dominated brokered headquartered registered
listed focused related friendly level sized like centric inspired themed oriented
affiliated supported educated raised trained built flagged
""")

# Connectors that occur inside personal names ("Mohammed bin Salman", "von der Leyen").
NAME_CONNECTORS = _words("bin ibn bint van von der den de da del della di du dos das la le y al el")

# Lower-case prefixes joined to a name by a hyphen: "al-Assad".
NAME_PARTICLES = ("al", "el", "ad", "as", "ash", "at", "az", "ar", "bin", "ibn", "abu", "ben")

# Lower-case words that, right after a two- or three-word name, mark a person.
SPEECH_VERBS = _words("""
said says told added asked wrote tweeted argued insisted warned claimed noted stated
explained announced admitted denied confirmed replied responded urged
""")
