"""Word lists the simulator draws from: names, nicknames, e-mail domains and their typos.

Kept as plain tuples (ordered, so draws are reproducible) and small enough to read: the point is
realistic identity noise, not a census.
"""

FIRST_NAMES: tuple[str, ...] = (
    "Maria", "James", "Linda", "Michael", "Patricia", "Robert", "Jennifer", "William", "Elizabeth",
    "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Margaret", "Anthony", "Sandra", "Mark",
    "Ashley", "Donald", "Kimberly", "Steven", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
    "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Edward", "Deborah", "Ronald",
    "Stephanie", "Timothy", "Rebecca", "Jason", "Laura", "Jeffrey", "Sharon", "Ryan", "Cynthia",
    "Jacob", "Kathleen", "Gary", "Amy", "Nicholas", "Angela", "Eric", "Anna", "Jonathan", "Katherine",
    "Samuel", "Christine", "Benjamin", "Samantha", "Alexander", "Catherine", "Sofia", "Luis", "Carmen",
    "Jose", "Ana", "Carlos", "Lucia", "Miguel", "Rosa", "Wei", "Mei", "Hiroshi", "Yuki", "Priya",
    "Arjun", "Fatima", "Omar", "Olga", "Dmitri", "Aisha", "Kwame", "Ingrid", "Lars", "Chloe", "Noah",
    "Olivia", "Liam", "Emma", "Ethan", "Ava", "Mason", "Isabella", "Logan", "Mia", "Lucas", "Harper",
    "Zoe", "Gabriel", "Nora", "Isaac", "Hannah", "Theodore", "Victoria", "Abigail", "Peter", "Alice",
)

NICKNAMES: dict[str, tuple[str, ...]] = {
    "James": ("Jim", "Jimmy", "Jamie"), "Michael": ("Mike", "Mikey", "Mick"), "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"), "Elizabeth": ("Liz", "Beth", "Betty", "Eliza"),
    "David": ("Dave", "Davey"), "Richard": ("Rick", "Dick", "Rich"), "Joseph": ("Joe", "Joey"),
    "Jessica": ("Jess", "Jessie"), "Thomas": ("Tom", "Tommy"), "Charles": ("Charlie", "Chuck"),
    "Christopher": ("Chris", "Topher"), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",),
    "Margaret": ("Maggie", "Peggy", "Meg"), "Anthony": ("Tony",), "Andrew": ("Andy", "Drew"),
    "Joshua": ("Josh",), "Kenneth": ("Ken", "Kenny"), "Edward": ("Ed", "Eddie", "Ted"),
    "Ronald": ("Ron", "Ronnie"), "Timothy": ("Tim", "Timmy"), "Jeffrey": ("Jeff",),
    "Jacob": ("Jake",), "Kathleen": ("Kathy", "Kate"), "Nicholas": ("Nick", "Nicky"),
    "Jonathan": ("Jon", "Johnny"), "Katherine": ("Kate", "Katie", "Kathy"), "Samuel": ("Sam", "Sammy"),
    "Christine": ("Chris", "Tina"), "Benjamin": ("Ben", "Benny"), "Samantha": ("Sam", "Sammie"),
    "Alexander": ("Alex", "Xander"), "Catherine": ("Cathy", "Cat"), "Patricia": ("Pat", "Patty", "Trish"),
    "Jennifer": ("Jen", "Jenny"), "Barbara": ("Barb",), "Susan": ("Sue", "Susie"), "Deborah": ("Deb", "Debbie"),
    "Stephanie": ("Steph",), "Rebecca": ("Becky", "Becca"), "Cynthia": ("Cindy",), "Abigail": ("Abby",),
    "Theodore": ("Ted", "Theo"), "Victoria": ("Vicky", "Tori"), "Gabriel": ("Gabe",), "Isabella": ("Bella", "Izzy"),
    "Steven": ("Steve",), "Donald": ("Don", "Donnie"), "Kimberly": ("Kim",), "Amanda": ("Mandy",),
    "Peter": ("Pete",), "Dmitri": ("Dima",), "Olga": ("Olya",), "Jose": ("Pepe",), "Luis": ("Lucho",),
}

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
    "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill",
    "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
    "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins",
    "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan",
    "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Chen", "Wang",
    "Tanaka", "Sato", "Kowalski", "Novak", "Ivanov", "Okafor", "Mensah", "Larsen", "Johansson", "O'Brien",
    "McDonald", "Van der Berg", "De la Cruz", "Schmidt", "Fischer", "Weber", "Rossi", "Russo", "Dubois",
)

EMAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
    "aol.com", "comcast.net", "proton.me",
)

DOMAIN_TYPOS: dict[str, tuple[str, ...]] = {
    "gmail.com": ("gmial.com", "gmail.con", "gmai.com", "gnail.com"),
    "yahoo.com": ("yaho.com", "yahoo.co"),
    "outlook.com": ("outlok.com",),
    "hotmail.com": ("hotmial.com", "hotmail.co"),
    "icloud.com": ("iclod.com",),
    "aol.com": ("aol.co",),
    "comcast.net": ("comcast.com",),
    "proton.me": ("protonme.com",),
}

WORK_DOMAINS: tuple[str, ...] = ("acme-corp.com", "pdxhealth.org", "rivertech.io", "cityschools.edu")

USER_AGENTS: tuple[str, ...] = (
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/128.0.0.0 Safari/537.36"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.6 Safari/605.1.15"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/128.0.0.0 Mobile Safari/537.36"),
    "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
)
