"""Countries and their continents, to class delivery locations as onshore, nearshore or offshore.

Onshore is the organisation's home country, nearshore another country on the same
continent, offshore another continent (METHODOLOGY 3.4). Pure data, no Django.
"""

CONTINENT_COUNTRIES: dict[str, tuple[str, ...]] = {
    "Europe": (
        "Austria",
        "Belgium",
        "Bulgaria",
        "Croatia",
        "Czech Republic",
        "Denmark",
        "Estonia",
        "Finland",
        "France",
        "Germany",
        "Greece",
        "Hungary",
        "Iceland",
        "Ireland",
        "Italy",
        "Latvia",
        "Lithuania",
        "Luxembourg",
        "Malta",
        "Moldova",
        "Netherlands",
        "North Macedonia",
        "Norway",
        "Poland",
        "Portugal",
        "Romania",
        "Serbia",
        "Slovakia",
        "Slovenia",
        "Spain",
        "Sweden",
        "Switzerland",
        "Ukraine",
        "United Kingdom",
        "Bosnia and Herzegovina",
        "Albania",
        "Belarus",
        "Georgia",
        "Armenia",
    ),
    "North America": (
        "Canada",
        "United States",
        "Mexico",
        "Costa Rica",
        "Guatemala",
        "Panama",
        "Jamaica",
        "Dominican Republic",
        "El Salvador",
        "Honduras",
        "Nicaragua",
        "Trinidad and Tobago",
    ),
    "South America": (
        "Argentina",
        "Bolivia",
        "Brazil",
        "Chile",
        "Colombia",
        "Ecuador",
        "Paraguay",
        "Peru",
        "Uruguay",
        "Venezuela",
    ),
    "Asia": (
        "Bangladesh",
        "China",
        "Hong Kong",
        "India",
        "Indonesia",
        "Israel",
        "Japan",
        "Jordan",
        "Kazakhstan",
        "Malaysia",
        "Pakistan",
        "Philippines",
        "Saudi Arabia",
        "Singapore",
        "South Korea",
        "Sri Lanka",
        "Taiwan",
        "Thailand",
        "Turkey",
        "United Arab Emirates",
        "Vietnam",
        "Qatar",
        "Nepal",
        "Uzbekistan",
    ),
    "Africa": (
        "Egypt",
        "Ghana",
        "Kenya",
        "Mauritius",
        "Morocco",
        "Nigeria",
        "Rwanda",
        "Senegal",
        "South Africa",
        "Tunisia",
        "Uganda",
        "Ethiopia",
    ),
    "Oceania": ("Australia", "New Zealand", "Fiji"),
}

CONTINENT_OF: dict[str, str] = {
    country: continent
    for continent, countries in CONTINENT_COUNTRIES.items()
    for country in countries
}
COUNTRIES: tuple[str, ...] = tuple(sorted(CONTINENT_OF))
COUNTRY_CHOICES: tuple[tuple[str, str], ...] = tuple((c, c) for c in COUNTRIES)


def continent_of(country: str) -> str:
    try:
        return CONTINENT_OF[country]
    except KeyError:
        raise ValueError(f"Unknown country {country!r}.") from None


def location_class(home_country: str, delivery_country: str) -> str:
    """'onshore', 'nearshore' or 'offshore' for a delivery country seen from home."""
    if delivery_country == home_country:
        return "onshore"
    if continent_of(delivery_country) == continent_of(home_country):
        return "nearshore"
    return "offshore"


LANGUAGES: tuple[str, ...] = (
    "Arabic",
    "Bengali",
    "Chinese (Mandarin)",
    "Czech",
    "Danish",
    "Dutch",
    "English",
    "Finnish",
    "French",
    "German",
    "Greek",
    "Hebrew",
    "Hindi",
    "Hungarian",
    "Indonesian",
    "Italian",
    "Japanese",
    "Korean",
    "Malay",
    "Norwegian",
    "Polish",
    "Portuguese",
    "Romanian",
    "Russian",
    "Spanish",
    "Swedish",
    "Tagalog",
    "Thai",
    "Turkish",
    "Ukrainian",
    "Vietnamese",
)
LANGUAGE_CHOICES: tuple[tuple[str, str], ...] = tuple((lang, lang) for lang in LANGUAGES)

CURRENCIES: tuple[str, ...] = (
    "GBP",
    "EUR",
    "USD",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CAD",
    "AUD",
    "JPY",
    "INR",
    "SGD",
    "ZAR",
    "BRL",
    "MXN",
)
