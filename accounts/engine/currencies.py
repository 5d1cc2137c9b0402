"""ISO 4217 currency codes: which text is a currency, and what to say when it is not.

The list is ISO 4217's active codes for currencies in circulation (funds and precious
metals left out: XAU, XDR and the like are never a contract's currency). A code typed in
small letters or with spaces around it is accepted and normalised; a name ("pounds",
"euro") is refused with the code it most likely means.
"""

from __future__ import annotations

# Code -> English name (ISO 4217, active currencies).
ISO_4217: dict[str, str] = {
    "AED": "UAE dirham",
    "AFN": "Afghan afghani",
    "ALL": "Albanian lek",
    "AMD": "Armenian dram",
    "ANG": "Netherlands Antillean guilder",
    "AOA": "Angolan kwanza",
    "ARS": "Argentine peso",
    "AUD": "Australian dollar",
    "AWG": "Aruban florin",
    "AZN": "Azerbaijani manat",
    "BAM": "Bosnia and Herzegovina convertible mark",
    "BBD": "Barbados dollar",
    "BDT": "Bangladeshi taka",
    "BGN": "Bulgarian lev",
    "BHD": "Bahraini dinar",
    "BIF": "Burundian franc",
    "BMD": "Bermudian dollar",
    "BND": "Brunei dollar",
    "BOB": "Boliviano",
    "BRL": "Brazilian real",
    "BSD": "Bahamian dollar",
    "BTN": "Bhutanese ngultrum",
    "BWP": "Botswana pula",
    "BYN": "Belarusian ruble",
    "BZD": "Belize dollar",
    "CAD": "Canadian dollar",
    "CDF": "Congolese franc",
    "CHF": "Swiss franc",
    "CLP": "Chilean peso",
    "CNY": "Chinese yuan renminbi",
    "COP": "Colombian peso",
    "CRC": "Costa Rican colon",
    "CUP": "Cuban peso",
    "CVE": "Cape Verdean escudo",
    "CZK": "Czech koruna",
    "DJF": "Djiboutian franc",
    "DKK": "Danish krone",
    "DOP": "Dominican peso",
    "DZD": "Algerian dinar",
    "EGP": "Egyptian pound",
    "ERN": "Eritrean nakfa",
    "ETB": "Ethiopian birr",
    "EUR": "Euro",
    "FJD": "Fiji dollar",
    "FKP": "Falkland Islands pound",
    "GBP": "Pound sterling",
    "GEL": "Georgian lari",
    "GHS": "Ghanaian cedi",
    "GIP": "Gibraltar pound",
    "GMD": "Gambian dalasi",
    "GNF": "Guinean franc",
    "GTQ": "Guatemalan quetzal",
    "GYD": "Guyanese dollar",
    "HKD": "Hong Kong dollar",
    "HNL": "Honduran lempira",
    "HTG": "Haitian gourde",
    "HUF": "Hungarian forint",
    "IDR": "Indonesian rupiah",
    "ILS": "Israeli new shekel",
    "INR": "Indian rupee",
    "IQD": "Iraqi dinar",
    "IRR": "Iranian rial",
    "ISK": "Icelandic krona",
    "JMD": "Jamaican dollar",
    "JOD": "Jordanian dinar",
    "JPY": "Japanese yen",
    "KES": "Kenyan shilling",
    "KGS": "Kyrgyzstani som",
    "KHR": "Cambodian riel",
    "KMF": "Comorian franc",
    "KPW": "North Korean won",
    "KRW": "South Korean won",
    "KWD": "Kuwaiti dinar",
    "KYD": "Cayman Islands dollar",
    "KZT": "Kazakhstani tenge",
    "LAK": "Lao kip",
    "LBP": "Lebanese pound",
    "LKR": "Sri Lankan rupee",
    "LRD": "Liberian dollar",
    "LSL": "Lesotho loti",
    "LYD": "Libyan dinar",
    "MAD": "Moroccan dirham",
    "MDL": "Moldovan leu",
    "MGA": "Malagasy ariary",
    "MKD": "Macedonian denar",
    "MMK": "Myanmar kyat",
    "MNT": "Mongolian togrog",
    "MOP": "Macanese pataca",
    "MRU": "Mauritanian ouguiya",
    "MUR": "Mauritian rupee",
    "MVR": "Maldivian rufiyaa",
    "MWK": "Malawian kwacha",
    "MXN": "Mexican peso",
    "MYR": "Malaysian ringgit",
    "MZN": "Mozambican metical",
    "NAD": "Namibian dollar",
    "NGN": "Nigerian naira",
    "NIO": "Nicaraguan cordoba",
    "NOK": "Norwegian krone",
    "NPR": "Nepalese rupee",
    "NZD": "New Zealand dollar",
    "OMR": "Omani rial",
    "PAB": "Panamanian balboa",
    "PEN": "Peruvian sol",
    "PGK": "Papua New Guinean kina",
    "PHP": "Philippine peso",
    "PKR": "Pakistani rupee",
    "PLN": "Polish zloty",
    "PYG": "Paraguayan guarani",
    "QAR": "Qatari riyal",
    "RON": "Romanian leu",
    "RSD": "Serbian dinar",
    "RUB": "Russian ruble",
    "RWF": "Rwandan franc",
    "SAR": "Saudi riyal",
    "SBD": "Solomon Islands dollar",
    "SCR": "Seychelles rupee",
    "SDG": "Sudanese pound",
    "SEK": "Swedish krona",
    "SGD": "Singapore dollar",
    "SHP": "Saint Helena pound",
    "SLE": "Sierra Leonean leone",
    "SOS": "Somali shilling",
    "SRD": "Surinamese dollar",
    "SSP": "South Sudanese pound",
    "STN": "Sao Tome and Principe dobra",
    "SVC": "Salvadoran colon",
    "SYP": "Syrian pound",
    "SZL": "Swazi lilangeni",
    "THB": "Thai baht",
    "TJS": "Tajikistani somoni",
    "TMT": "Turkmenistan manat",
    "TND": "Tunisian dinar",
    "TOP": "Tongan pa'anga",
    "TRY": "Turkish lira",
    "TTD": "Trinidad and Tobago dollar",
    "TWD": "New Taiwan dollar",
    "TZS": "Tanzanian shilling",
    "UAH": "Ukrainian hryvnia",
    "UGX": "Ugandan shilling",
    "USD": "US dollar",
    "UYU": "Uruguayan peso",
    "UZS": "Uzbekistani sum",
    "VES": "Venezuelan bolivar",
    "VND": "Vietnamese dong",
    "VUV": "Vanuatu vatu",
    "WST": "Samoan tala",
    "XAF": "Central African CFA franc",
    "XCD": "East Caribbean dollar",
    "XOF": "West African CFA franc",
    "XPF": "CFP franc",
    "YER": "Yemeni rial",
    "ZAR": "South African rand",
    "ZMW": "Zambian kwacha",
    "ZWG": "Zimbabwe gold",
}

# Words people type for a currency, lower case -> the code they most likely mean.
_NAMES = {
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "pounds sterling": "GBP",
    "£": "GBP",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "$": "USD",
    "yen": "JPY",
    "¥": "JPY",
    "franc": "CHF",
    "francs": "CHF",
    "swiss francs": "CHF",
    "rupee": "INR",
    "rupees": "INR",
    "₹": "INR",
    "krona": "SEK",
    "kronor": "SEK",
    "krone": "NOK",
    "zloty": "PLN",
    "rand": "ZAR",
    "real": "BRL",
    "reais": "BRL",
    "peso": "MXN",
    "pesos": "MXN",
    "yuan": "CNY",
    "renminbi": "CNY",
}
_NAMES.update({name.lower(): code for code, name in ISO_4217.items()})

# Longer than any name a person would type: past this, the text is not shown back in full.
_ECHO_LIMIT = 40


def is_currency(code: str) -> bool:
    return code in ISO_4217


def currency_problem(text: str) -> str | None:
    """Why ``text`` (as typed, before normalising) is not an ISO 4217 code; None if it is."""
    code = text.strip().upper()
    if code in ISO_4217:
        return None
    shown = text.strip()
    if len(shown) > _ECHO_LIMIT:
        shown = shown[:_ECHO_LIMIT] + "…"
    if not shown:
        return "Enter the currency as a three-letter ISO 4217 code, e.g. GBP."
    guess = _NAMES.get(text.strip().lower())
    hint = f" For {ISO_4217[guess].lower()}, enter {guess}." if guess else ""
    return (
        f"“{shown}” is not an ISO 4217 currency code: enter three letters such as GBP, EUR "
        f"or USD.{hint}"
    )


def normalise_currency(text: str) -> str:
    """The code in capitals, spaces around it removed. Raises ValueError (with the
    problem in words) when ``text`` is not an ISO 4217 code."""
    problem = currency_problem(text)
    if problem:
        raise ValueError(problem)
    return text.strip().upper()
