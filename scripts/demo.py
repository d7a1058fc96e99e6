"""A believable demo network, created through the gateway (idempotent: safe to run again)."""

PEOPLE = [
    ("Ada Okafor", "Staff engineer, distributed systems", ["mentor"], "Europe/London", ["en"], 15,
     {"distributed systems": 5, "go": 4, "system design": 5}, {"public speaking": 2}, "Acme", "Platform"),
    ("Bruno Costa", "Backend engineer moving into SRE", ["mentee"], "America/Sao_Paulo", ["pt", "en"], 3,
     {"java": 3}, {"kubernetes": 1, "observability": 2}, "Acme", "Payments"),
    ("Chen Wei", "Engineering manager", ["mentor"], "Asia/Shanghai", ["zh", "en"], 12,
     {"people management": 5, "hiring": 4, "career growth": 5}, {}, "Acme", "Mobile"),
    ("Dana Cohen", "Product designer learning front-end", ["mentee", "mentor"], "Asia/Jerusalem", ["he", "en"], 6,
     {"ux research": 4, "figma": 5}, {"typescript": 1, "react": 2}, "Acme", "Design"),
    ("Emeka Nwosu", "Data scientist", ["mentor", "mentee"], "Africa/Lagos", ["en"], 8,
     {"python": 5, "machine learning": 4, "statistics": 5}, {"rust": 3}, "Acme", "Data"),
    ("Fatima Zahra", "Junior iOS developer", ["mentee"], "Africa/Casablanca", ["ar", "fr", "en"], 1,
     {"swift": 2}, {"swift": 1, "testing": 2, "system design": 3}, "Acme", "Mobile"),
    ("Gustav Lind", "Principal engineer, security", ["mentor"], "Europe/Stockholm", ["sv", "en"], 20,
     {"security": 5, "cryptography": 4, "rust": 4}, {}, "Acme", "Security"),
    ("Hana Sato", "QA engineer becoming an SDET", ["mentee"], "Asia/Tokyo", ["ja", "en"], 4,
     {"manual testing": 4}, {"testing": 1, "python": 2}, "Acme", "Quality"),
    ("Isabel Ruiz", "Open-source maintainer", ["mentor", "mentee"], "Europe/Madrid", ["es", "en"], 10,
     {"rust": 5, "open source": 5, "code review": 4}, {"public speaking": 1}, "Independent", ""),
    ("Jonas Weber", "Student contributor", ["mentee"], "Europe/Berlin", ["de", "en"], 0,
     {}, {"rust": 1, "open source": 1, "git": 2}, "TU Berlin", "Computer Science"),
    ("Kavya Iyer", "SRE lead", ["mentor"], "Asia/Kolkata", ["en", "hi"], 11,
     {"kubernetes": 5, "observability": 5, "incident response": 4}, {}, "Independent", ""),
    ("Liam O'Brien", "Career changer, ex-teacher", ["mentee"], "Europe/Dublin", ["en"], 1,
     {"teaching": 5}, {"python": 1, "career growth": 2}, "Independent", ""),
]


def seed(running):
    created = 0
    for index, (name, headline, roles, tz, languages, years, expertise, goals, org, dept) in enumerate(PEOPLE):
        network = "acme" if org == "Acme" else "open-source"
        body = {
            "email": name.lower().replace(" ", ".").replace("'", "") + "@example.org",
            "displayName": name,
            "headline": headline,
            "bio": "%s. Happy to talk about %s." % (headline, ", ".join(list(expertise) or list(goals))),
            "roles": ["ROLE_" + role.upper() for role in roles],
            "networks": [network],
            "organization": org,
            "department": dept,
            "location": tz.split("/")[-1].replace("_", " "),
            "timezone": tz,
            "languages": languages,
            "yearsOfExperience": years,
            "expertise": [{"skill": skill, "level": level} for skill, level in expertise.items()],
            "learningGoals": [{"skill": skill, "priority": priority} for skill, priority in goals.items()],
            "mentoringCapacity": 2 if "mentor" in roles else 0,
            "availability": [{"weekday": 1 + (index + day) % 5, "startMinute": 9 * 60 + 30 * (index % 4),
                              "endMinute": 11 * 60 + 30 * (index % 4)} for day in range(2)],
            "preferences": {"oneWay": True, "mutual": "mentee" in roles and "mentor" in roles,
                            "organization": "ORGANIZATION_PREFERENCE_ANY"},
        }
        status, answer = running.request("POST", "/v1/members", body, {"Idempotency-Key": "demo-%d" % index})
        if status not in (200, 201):
            raise RuntimeError("demo member %s was refused: %s %s" % (name, status, answer))
        created += 1
    return created
