# ruff: noqa: E501 (demo prose: long lines read better than split sentences)
"""Demo knowledge articles: a few shared ones (cooperation office) and some of each demo municipality.

The demo municipalities' phone numbers and addresses are made up like the rest of the demo; the shared
articles only state what is generally true in Germany and name who is responsible, without figures
that change (fees, rates).
"""

from __future__ import annotations

from typing import Any

from answers.local.models import LocalArticle
from answers.models import SharedArticle

SHARED: tuple[dict[str, Any], ...] = (
    {
        "slug": "behoerdennummer-115",
        "title_de": "Die Behördennummer 115",
        "title_en": "The public administration number 115",
        "body_de": "Unter der 115 erreichen Sie die öffentliche Verwaltung: Fragen zu Leistungen von Stadt, Landkreis, "
        "Land und Bund werden dort beantwortet oder weitergeleitet. Sie erreichen die 115 montags bis freitags "
        "von 8 bis 18 Uhr zum Festnetztarif.",
        "body_en": "Dial 115 to reach the public administration: questions about services of the city, the district, "
        "the federal state and the federal government are answered there or passed on. 115 is available Monday "
        "to Friday from 8 a.m. to 6 p.m. at the landline rate.",
        "keywords": "Behördenruf, Bürgertelefon, Hotline, Servicenummer, wen anrufen, hotline, phone service",
        "source": "Kooperationsstelle Amtsplatz",
    },
    {
        "slug": "notruf-und-bereitschaftsdienste",
        "title_de": "Notruf und Bereitschaftsdienste",
        "title_en": "Emergency numbers and on-call services",
        "body_de": "Polizei: 110. Feuerwehr und Rettungsdienst: 112. Ärztlicher Bereitschaftsdienst außerhalb der "
        "Sprechzeiten: 116 117. Diese Nummern sind kostenlos und rund um die Uhr erreichbar.",
        "body_en": "Police: 110. Fire brigade and ambulance: 112. Out-of-hours medical service: 116 117. These numbers "
        "are free of charge and available around the clock.",
        "keywords": "Notruf, Notarzt, Arzt am Wochenende, Krankenwagen, Polizei, Feuer, emergency, ambulance, doctor",
        "source": "Kooperationsstelle Amtsplatz",
    },
    {
        "slug": "rundfunkbeitrag",
        "title_de": "Rundfunkbeitrag (früher GEZ)",
        "title_en": "Broadcasting fee (formerly GEZ)",
        "body_de": "Für den Rundfunkbeitrag ist nicht die Stadt zuständig, sondern der Beitragsservice von ARD, ZDF und "
        "Deutschlandradio. An- und Abmeldung, Befreiung und Ermäßigung beantragen Sie dort, online oder schriftlich.",
        "body_en": "The broadcasting fee is not a matter for the city but for the contribution service of ARD, ZDF and "
        "Deutschlandradio. Register, deregister or apply for an exemption there, online or in writing.",
        "keywords": "GEZ, Rundfunkgebühr, Fernsehgebühr, Befreiung GEZ, TV licence, broadcasting fee",
        "source": "Kooperationsstelle Amtsplatz",
    },
    {
        "slug": "steuererklaerung-finanzamt",
        "title_de": "Einkommensteuer und Steuererklärung",
        "title_en": "Income tax and tax returns",
        "body_de": "Für die Einkommensteuer ist das Finanzamt zuständig, nicht die Stadt. Die Steuererklärung können Sie "
        "online mit ELSTER abgeben. Fragen zur Lohnsteuer beantwortet Ihr Finanzamt.",
        "body_en": "Income tax is handled by the tax office (Finanzamt), not by the city. You can file your tax return "
        "online with ELSTER. Your tax office answers questions about wage tax.",
        "keywords": "Finanzamt, Steuer, Steuererklärung, ELSTER, Lohnsteuer, Steuernummer, tax return, tax office",
        "source": "Kooperationsstelle Amtsplatz",
    },
)

LOCAL: dict[str, tuple[dict[str, Any], ...]] = {
    "gera": (
        {
            "slug": "wertstoffhof",
            "title_de": "Wertstoffhof Gera-Nord",
            "title_en": "Recycling centre Gera-Nord",
            "body_de": "Am Wertstoffhof Gera-Nord geben Sie Elektrogeräte, Grünschnitt, Altholz und Bauschutt in "
            "haushaltsüblichen Mengen ab. Geöffnet Di–Fr 9–18 Uhr, Sa 8–13 Uhr.",
            "body_en": "At the Gera-Nord recycling centre you can drop off electrical appliances, green waste, old wood "
            "and rubble in household quantities. Open Tue–Fri 9 a.m.–6 p.m., Sat 8 a.m.–1 p.m.",
            "keywords": "Recyclinghof, Elektroschrott, alter Fernseher, Grünschnitt, Bauschutt, recycling",
            "source": "Stadt Gera, Umweltamt",
        },
        {
            "slug": "hallenbad-schliessung",
            "title_de": "Hallenbad: Schließzeit für Wartung",
            "title_en": "Indoor pool closed for maintenance",
            "body_de": "Das städtische Hallenbad ist in den Sommerferien für Wartungsarbeiten geschlossen. Das Freibad "
            "ist in dieser Zeit täglich geöffnet.",
            "body_en": "The municipal indoor pool is closed for maintenance during the summer holidays. The outdoor pool "
            "is open daily during that time.",
            "keywords": "Schwimmbad, Schwimmhalle, schwimmen, Bad geschlossen, swimming pool",
            "source": "Stadt Gera, Bäderbetrieb",
        },
        {
            "slug": "winterdienst-gehweg",
            "title_de": "Winterdienst: Gehweg vor dem Haus",
            "title_en": "Clearing snow from the pavement",
            "body_de": "Nach der Straßenreinigungssatzung räumen Eigentümer und Anlieger den Gehweg vor ihrem Grundstück "
            "werktags bis 7 Uhr, sonn- und feiertags bis 9 Uhr von Schnee und streuen bei Glätte.",
            "body_en": "Under the street cleaning by-law, owners and residents clear snow from the pavement in front of "
            "their property by 7 a.m. on working days and 9 a.m. on Sundays and holidays, and grit it when icy.",
            "keywords": "Schnee räumen, Glatteis, streuen, Schneeschippen, Räumpflicht, snow, ice",
            "source": "Stadt Gera, Straßenreinigungssatzung",
        },
    ),
    "wurzen": (
        {
            "slug": "weihnachtsmarkt-sperrung",
            "title_de": "Weihnachtsmarkt: Sperrung des Marktplatzes",
            "title_en": "Christmas market: market square closed to traffic",
            "body_de": "Während des Wurzener Weihnachtsmarkts ist der Marktplatz für den Verkehr gesperrt. Anwohner "
            "erreichen ihre Grundstücke über die Jacobsgasse.",
            "body_en": "During Wurzen's Christmas market the market square is closed to traffic. Residents reach their "
            "homes via Jacobsgasse.",
            "keywords": "Weihnachtsmarkt, Straßensperrung, Umleitung, gesperrt, Markt, road closure, diversion",
            "source": "Stadt Wurzen, Ordnungsamt",
        },
        {
            "slug": "laubsaecke",
            "title_de": "Laubsäcke im Herbst",
            "title_en": "Leaf bags in autumn",
            "body_de": "Von Oktober bis Dezember erhalten Sie Laubsäcke im Bürgerbüro. Volle Säcke stellen Sie am "
            "Abfuhrtag Ihres Wohngebiets an den Straßenrand.",
            "body_en": "From October to December you can get leaf bags at the citizens' office. Put full bags at the "
            "roadside on your area's collection day.",
            "keywords": "Laub, Blätter, Herbstlaub, Gartenabfall, leaves, garden waste",
            "source": "Stadt Wurzen, Bauhof",
        },
    ),
    "augustusburg": (
        {
            "slug": "schloss-parken",
            "title_de": "Parken am Schloss Augustusburg",
            "title_en": "Parking at Augustusburg Castle",
            "body_de": "Besucher parken auf dem Parkplatz am Schloss (gebührenpflichtig). Die Zufahrt zum Schlosshof "
            "ist nur für Lieferverkehr und Menschen mit Behinderung frei.",
            "body_en": "Visitors park in the car park at the castle (charges apply). Access to the castle courtyard is "
            "for deliveries and people with disabilities only.",
            "keywords": "Schloss, Parkplatz Schloss, Besucher, Touristen, castle, car park",
            "source": "Stadt Augustusburg",
        },
        {
            "slug": "gruengut",
            "title_de": "Grüngutannahme",
            "title_en": "Green waste drop-off",
            "body_de": "Rasenschnitt, Laub und Strauchschnitt nimmt die Grüngutannahme am Bauhof samstags von 9 bis "
            "12 Uhr an, von April bis November.",
            "body_en": "Grass cuttings, leaves and hedge cuttings are accepted at the green waste drop-off at the depot "
            "on Saturdays from 9 a.m. to noon, April to November.",
            "keywords": "Grünschnitt, Rasenschnitt, Strauchschnitt, Gartenabfälle, Kompost, green waste",
            "source": "Stadt Augustusburg, Bauhof",
        },
    ),
}


def shared_articles_ensure() -> None:
    """The cooperation office's demo articles (public schema), unless they exist."""
    for article in SHARED:
        SharedArticle.objects.get_or_create(slug=article["slug"], defaults=article)


def local_articles_ensure(slug: str) -> None:
    """The municipality's demo articles (call inside its schema), unless they exist."""
    for article in LOCAL.get(slug, ()):
        LocalArticle.objects.get_or_create(slug=article["slug"], defaults=article)


def answers_demo_ensure(slug: str) -> None:
    """Everything the demo needs for the question box in one municipality (and the shared articles)."""
    from django_tenants.utils import schema_context

    with schema_context("public"):
        shared_articles_ensure()
    local_articles_ensure(slug)
