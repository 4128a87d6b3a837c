"""Word lists the benchmark data set is built from: names, industries, places."""


def _words(text: str) -> tuple[str, ...]:
    """A list written as space-separated words (long lists stay readable that way)."""
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aaron Abby Adam Adele Aisha Alan Alice Amir Ana Andrea Anika Arjun Ben Bianca Brian "
    "Carla Carlos Chen Chloe Chris Claire Dana Daniel David Dev Diana Dmitri Elena Eli Emma "
    "Erik Fatima Felix Fiona Frank Gemma George Grace Hannah Hassan Helen Hugo Ian Ines Isaac "
    "Ivan Jack Jamal James Jana Jenny Joel Jonas Julia Karen Karim Kate Kenji Laura Leo Lena "
    "Liam Lina Lucas Lucy Maria Mark Marta Mateo Maya Mia Mike Nadia Naomi Nina Noah Olga Omar "
    "Oscar Paul Paula Petra Priya Rachel Rafael Rosa Ruth Ryan Sara Sean Simon Sofia Tom Tomas "
    "Vera Victor Wei Will Yara Yusuf Zoe"
)
LAST_NAMES = _words(
    "Adams Ahmed Alvarez Anderson Bakker Banerjee Becker Bennett Berg Brooks Brown Campbell "
    "Carter Castro Chen Clarke Collins Costa Cruz Dahl Davies Diaz Dubois Edwards Evans Fischer "
    "Fisher Foster Garcia Gomez Graham Gray Gupta Hall Hansen Harris Hayes Hughes Ibrahim "
    "Jackson Jansen Johnson Jones Kaur Keller Khan Kim Klein Kowalski Kumar Larsen Lee Lewis "
    "Lopez Martin Meyer Miller Mitchell Moreau Morgan Murphy Nguyen Novak Okafor Olsen Ortiz "
    "Park Patel Perez Peters Phillips Price Reed Reyes Richter Rivera Roberts Rossi Russo Sato "
    "Schmidt Schneider Scott Shah Silva Singh Smith Sousa Stewart Suzuki Tanaka Taylor Thomas "
    "Turner Vogel Wagner Walker Wang Ward Weber Wilson Wong Wright Young Zhang"
)
CONTACT_TITLES = (
    "Operations Director",
    "Purchasing Manager",
    "Head of Procurement",
    "Managing Director",
    "Finance Director",
    "Office Manager",
    "Facilities Manager",
    "Buyer",
    "Plant Manager",
    "IT Manager",
    "Logistics Coordinator",
    "Chief Operating Officer",
    "",
)
# Account names are "<prefix> <industry> <suffix>", e.g. "Stonebridge Dental Care Ltd".
PREFIX_STARTS = _words(
    "North South East West Stone Oak Ash Elm Silver Gold Red Blue Green Black White High Fair "
    "Clear Bright Maple Cedar Pine River Lake"
)
PREFIX_ENDS = _words("field bridge wood brook gate stone ford haven ridge vale wick point")
PREFIX_WORDS = _words(
    "Orion Summit Beacon Atlas Vertex Meridian Apex Horizon Harbor Keystone Pioneer Sterling "
    "Crescent Granite Evergreen Lighthouse Compass Sapphire Falcon Heron Lantern Mosaic Nimbus "
    "Quarry Riverside Sequoia Tidewater Union Vanguard Windmill Alder Birch Copper Delta Ember "
    "Fjord Glacier Juniper Kestrel Linden"
)
PREFIXES = tuple(start + end for start in PREFIX_STARTS for end in PREFIX_ENDS) + tuple(
    PREFIX_WORDS
)
# (industry words, segment): each segment has a few industries, so names fit their segment.
INDUSTRIES = (
    ("Metalworks", "Manufacturing"),
    ("Plastics", "Manufacturing"),
    ("Engineering", "Manufacturing"),
    ("Packaging", "Manufacturing"),
    ("Textiles", "Manufacturing"),
    ("Dental Care", "Healthcare"),
    ("Medical Supplies", "Healthcare"),
    ("Clinics", "Healthcare"),
    ("Care Homes", "Healthcare"),
    ("Pharmacy", "Healthcare"),
    ("Home Stores", "Retail"),
    ("Outfitters", "Retail"),
    ("Garden Centres", "Retail"),
    ("Books", "Retail"),
    ("Logistics", "Logistics"),
    ("Freight", "Logistics"),
    ("Couriers", "Logistics"),
    ("Warehousing", "Logistics"),
    ("Academy", "Education"),
    ("Schools Trust", "Education"),
    ("Training", "Education"),
    ("Hotels", "Hospitality"),
    ("Restaurants", "Hospitality"),
    ("Catering", "Hospitality"),
    ("Leisure", "Hospitality"),
    ("Builders", "Construction"),
    ("Construction", "Construction"),
    ("Roofing", "Construction"),
    ("Interiors", "Construction"),
    ("Council Services", "Public sector"),
    ("Housing Association", "Public sector"),
    ("Water Authority", "Public sector"),
    ("Capital", "Financial services"),
    ("Insurance", "Financial services"),
    ("Accountants", "Financial services"),
    ("Software", "Technology"),
    ("Data Systems", "Technology"),
    ("Networks", "Technology"),
    ("Electronics", "Technology"),
    ("Foods", "Food & beverage"),
    ("Bakeries", "Food & beverage"),
    ("Brewing", "Food & beverage"),
    ("Dairy", "Food & beverage"),
    ("Print Works", "Professional services"),
    ("Consulting", "Professional services"),
    ("Architects", "Professional services"),
    ("Law", "Professional services"),
    ("Motors", "Automotive"),
    ("Auto Parts", "Automotive"),
    ("Fleet Services", "Automotive"),
    ("Energy", "Energy & utilities"),
    ("Solar", "Energy & utilities"),
    ("Power Systems", "Energy & utilities"),
)
SUFFIXES = ("Ltd", "Inc.", "GmbH", "& Co", "Group", "LLC", "plc", "AG", "B.V.", "Partners")
CITIES = _words(
    "Leeds Bristol Lyon Hamburg Utrecht Porto Malmo Graz Ghent Turin Cork Aarhus Bilbao Brno "
    "Bergen Basel Bremen Nantes Seville Krakow Tampere Leipzig Lille Dundee Oslo Riga Derby "
    "Kassel Antwerp Lisbon"
)
# Share of accounts per segment (weights), so some segments dominate as in a real book.
SEGMENT_WEIGHTS = {
    "Manufacturing": 16,
    "Healthcare": 11,
    "Retail": 10,
    "Logistics": 10,
    "Professional services": 9,
    "Construction": 8,
    "Technology": 8,
    "Hospitality": 7,
    "Food & beverage": 7,
    "Financial services": 5,
    "Public sector": 4,
    "Automotive": 3,
    "Energy & utilities": 2,
}
PRODUCTS = (
    "office supplies",
    "packaging materials",
    "spare parts",
    "cleaning and hygiene products",
    "printing and copiers",
    "workwear",
    "IT hardware",
    "safety equipment",
)
USER_TITLES = {
    "admin": "Head of Customer Success",
    "lead": "Team Lead",
    "member": ("Account Manager", "Customer Success Manager", "Sales Representative"),
    "viewer": ("Sales Director", "Finance Controller", "Chief Executive", "Marketing Manager"),
}
EXTRA_COMPETITORS = (
    "Allbright Supply",
    "Castellan",
    "Direct Depot",
    "Fenwick & Hale",
    "Greyhound Office",
    "Kinetic Partners",
    "Marlow Trade",
    "Paragon Works",
)
CHARITIES = "Red Cross\nMédecins Sans Frontières\nWWF\nLocal food bank\nSave the Children"
