"""The entities the shipped seed must get (issue 3's "Done means"); Daesh is named
Islamic State, and Press TV is the story's source rather than a tag."""

SEED = "000_9086dd3709b1d972.txt"
SEED_POST = "us-will-have-no-military-cooperation-with-russia-in-syria-mattis"
PEOPLE = {
    "James Mattis",
    "Mike Pompeo",
    "Donald Trump",
    "Vladimir Putin",
    "Joe Votel",
    "Bashar al-Assad",
}
PLACES = {
    "United States",
    "Russia",
    "Syria",
    "Moscow",
    "Washington",
    "Helsinki",
    "California",
    "Crimea",
}
ORGANIZATIONS = {"Congress", "Pentagon", "Islamic State"}
