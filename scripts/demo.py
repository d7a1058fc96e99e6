"""A believable demo network, created through the gateway (idempotent: safe to run again):
members, three active matches, a first session booked for each in a slot both partners have, and for
the first pair a weekly series and a goal with a confirmed and a pending review; notification settings
(Bruno's quiet hours and morning digest, acme's programme admin) and the inboxes those make; and
double-blind feedback on two short sessions that begin at the next whole minute (feedback needs a
session that has taken place, and nothing can be booked in the past): revealed for one pair,
sealed for another."""
import datetime
import os
import time

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


ids = {}
# The demo pairs' match ids, by index in PAIRS.
matches = {}


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
            # Working days, 09:00-18:00 in their own zone.
            "availability": [{"weekday": day, "startMinute": 9 * 60, "endMinute": 18 * 60} for day in range(1, 6)],
            "preferences": {"oneWay": True, "mutual": "mentee" in roles and "mentor" in roles,
                            "organization": "ORGANIZATION_PREFERENCE_ANY"},
        }
        status, answer = running.request("POST", "/v1/members", body, {"Idempotency-Key": "demo-%d" % index})
        if status not in (200, 201):
            raise RuntimeError("demo member %s was refused: %s %s" % (name, status, answer))
        ids[name] = answer["id"]
        created += 1
    return created


# Mentor, mentee: each mentee wants what the mentor teaches, in the same network.
PAIRS = [("Ada Okafor", "Fatima Zahra"), ("Emeka Nwosu", "Hana Sato"), ("Isabel Ruiz", "Jonas Weber")]


def retry(call, seconds=20):
    """Calls `call` until it answers 2xx (a service may not have read a change feed yet)."""
    deadline = time.time() + seconds
    while True:
        status, answer = call()
        if 200 <= status < 300 or time.time() > deadline:
            return status, answer
        time.sleep(0.1)


def seed_goal(running, match_id, mentor_id, mentee_id):
    """The mentee's goal with a confirmed review (progress 40) and a pending one (once only)."""
    status, goals = running.request("GET", "/v1/matches/%s/goals?memberId=%s" % (match_id, mentee_id))
    if status != 200 or goals["goals"]:
        return
    # Sessions may not have read the accepted match from matching's feed yet.
    status, goal = retry(lambda: running.request("POST", "/v1/matches/%s/goals" % match_id, {
        "memberId": mentee_id, "title": "Write and ship a tested iOS feature",
        "successCriteria": "Merged with tests; demoed to the team", "targetDate": "2027-06-30",
        "reviewCadenceDays": 14}))
    if status != 201:
        print("demo: the goal was refused: %s %s" % (status, goal))
        return
    status, first = running.request("POST", "/v1/goals/%s:review" % goal["id"], {
        "memberId": mentee_id, "progress": 40, "confidence": "CONFIDENCE_MEDIUM",
        "note": "Feature flag and first screen done"})
    running.request("POST", "/v1/reviews/%s:confirm" % first["id"], {"memberId": mentor_id})
    running.request("POST", "/v1/goals/%s:review" % goal["id"], {
        "memberId": mentee_id, "progress": 60, "confidence": "CONFIDENCE_LOW", "note": "Tests half written"})


def seed_sessions(running):
    """Matches the demo pairs (the mentee asks, the mentor accepts) and books each pair's first
    session in the first slot both have; returns how many sessions are booked."""
    booked = 0
    for index, (mentor, mentee) in enumerate(PAIRS):
        network = "acme" if mentor != "Isabel Ruiz" else "open-source"
        proposal = {"network": network, "mentorId": ids[mentor], "menteeId": ids[mentee], "requestedBy": ids[mentee]}
        status, match = retry(lambda: running.request("POST", "/v1/matches", proposal,
                                                      {"Idempotency-Key": "demo-match-%d" % index}))
        if status not in (200, 201):
            raise RuntimeError("demo match %s - %s was refused: %s %s" % (mentor, mentee, status, match))
        matches[index] = match["id"]
        if match["state"] == "MATCH_STATE_PROPOSED":
            running.request("POST", "/v1/matches/%s:accept" % match["id"], {"memberId": ids[mentor]})
        # Run again, the demo keeps the session it booked the first time.
        status, existing = retry(lambda: running.request("GET", "/v1/matches/%s/sessions" % match["id"]))
        first = existing["sessions"][0] if status == 200 and existing["sessions"] else None
        if first is None:
            status, found = retry(lambda: running.request(
                "GET", "/v1/matches/%s/slots?memberId=%s&durationMinutes=60&stepMinutes=30&limit=1"
                % (match["id"], ids[mentee])))
            if status != 200 or not found["slots"]:
                print("demo: %s and %s have no common hour in the next two weeks" % (mentor, mentee))
                continue
            body = {"memberId": ids[mentee], "startAt": found["slots"][0]["startAt"], "durationMinutes": 60,
                    "title": "First session: goals", "agenda": "Where you are, where you want to be, how we meet",
                    "location": "https://meet.example.org/%s" % match["id"]}
            status, first = running.request("POST", "/v1/matches/%s/sessions" % match["id"], body,
                                            {"Idempotency-Key": "demo-session-%d" % index})
            if status not in (200, 201):
                print("demo: the session of %s and %s was refused: %s %s" % (mentor, mentee, status, first))
                continue
        booked += 1
        if index == 0:
            seed_goal(running, match["id"], ids[mentor], ids[mentee])
            # The first pair then meets weekly, at the same time, six times (a series).
            start = datetime.datetime.fromisoformat(first["startAt"].replace("Z", "+00:00")) + datetime.timedelta(days=7)
            body = {"memberId": ids[mentee], "firstStartAt": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "durationMinutes": 45, "count": 6, "title": "Weekly check-in",
                    "location": "https://meet.example.org/%s" % match["id"]}
            status, series = running.request("POST", "/v1/matches/%s/series" % match["id"], body,
                                             {"Idempotency-Key": "demo-series-%d" % index})
            if status not in (200, 201):
                print("demo: the weekly series of %s and %s was refused: %s %s" % (mentor, mentee, status, series))
    return booked


def seed_notifications(running):
    """Bruno keeps quiet hours (22:00-07:00 his time) and takes his digest at 08:00; Chen Wei is
    acme's programme admin (told when a partnership looks at risk). Waits until the notifications
    service has caught up with what the demo did; returns the first mentee's name, id and unread count."""
    mentee = PAIRS[0][1]
    status, preferences = running.request("PATCH", "/v1/members/%s/notification-preferences" % ids["Bruno Costa"], {
        "quietHours": {"enabled": True, "startMinute": 22 * 60, "endMinute": 7 * 60}, "digestHour": 8})
    if status != 200:
        print("demo: Bruno's notification preferences were refused: %s %s" % (status, preferences))
    status, rules = running.request("PATCH", "/v1/networks/acme/notification-rules",
                                    {"adminMemberIds": [ids["Chen Wei"]]})
    if status != 200:
        print("demo: acme's notification rules were refused: %s %s" % (status, rules))
    # The inbox fills from the matching and sessions feeds: the match proposed, accepted, active and
    # the session booked arrive within moments.
    unread = 0
    deadline = time.time() + 20
    while time.time() < deadline:
        status, counts = running.request("GET", "/v1/members/%s/notification-counts" % ids[mentee])
        unread = int(counts.get("unreadCount", 0)) if status == 200 else 0
        if unread >= 2:
            break
        time.sleep(0.1)
    return mentee, ids[mentee], unread


FEEDBACK_TITLE = "Drop-in: quick check-in"


def book_feedback_sessions(running):
    """Books a 15-minute session starting at the next whole minute for the second pair (feedback
    will stay sealed: only the mentee gives it) and the third (revealed: both give it). Their
    networks' policies allow booking without notice for the moment of booking, then are set back;
    the partners' availability is overridden with a reason. Answers [(pair index, session)], empty
    when the demo already has them."""
    start = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0) + datetime.timedelta(
        minutes=1)
    booked = []
    for index in (1, 2):
        if index not in matches:
            continue
        status, existing = running.request("GET", "/v1/matches/%s/sessions" % matches[index])
        if status != 200 or any(s["title"] == FEEDBACK_TITLE for s in existing["sessions"]):
            continue
        mentor, mentee = PAIRS[index]
        network = "acme" if mentor != "Isabel Ruiz" else "open-source"
        policy_url = "/v1/networks/%s/session-policy" % network
        status, policy = running.request("GET", policy_url)
        notice = policy["minimumNoticeMinutes"] if status == 200 else 60
        running.request("PATCH", policy_url, {"minimumNoticeMinutes": 0})
        status, session = running.request("POST", "/v1/matches/%s/sessions" % matches[index], {
            "memberId": ids[mentee], "startAt": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "durationMinutes": 15,
            "title": FEEDBACK_TITLE, "overrideAvailability": True,
            "overrideReason": "demo: a session that takes place now, so there is something to give feedback on"})
        running.request("PATCH", policy_url, {"minimumNoticeMinutes": notice})
        if status != 201:
            print("demo: the drop-in session of %s and %s was refused: %s %s" % (mentor, mentee, status, session))
            continue
        booked.append((index, session))
    return booked


def give_feedback(running, booked):
    """Once the booked sessions have begun: the mentor completes each; in the second pair the mentee
    gives feedback (sealed until the mentor does, or 7 days pass), in the third both do (revealed).
    Answers how many sessions have feedback."""
    given = 0
    for index, session in booked:
        mentor, mentee = PAIRS[index]
        url = "/v1/sessions/%s" % session["id"]
        status, completed = retry(lambda: running.request("POST", url + ":complete", {"memberId": ids[mentor]}),
                                  seconds=90)
        if status != 200:
            print("demo: the drop-in session of %s and %s could not be completed: %s %s"
                  % (mentor, mentee, status, completed))
            continue
        running.request("PUT", url + "/feedback", {
            "memberId": ids[mentee], "rating": 5, "wentWell": "Concrete next steps and a reading list",
            "toChange": "A shared agenda beforehand", "goodFit": "FIT_ANSWER_YES"})
        if index == 2:
            running.request("PUT", url + "/feedback", {
                "memberId": ids[mentor], "rating": 4, "wentWell": "Jonas came with good questions",
                "toChange": "Look at the code together next time", "goodFit": "FIT_ANSWER_YES"})
        given += 1
    return given


def write_tokens(running):
    """A token per demo member, in data/demo-tokens.tsv (name, member id, token); returns the path."""
    path = os.path.join(running.data_dir, "demo-tokens.tsv")
    rows = []
    for network in ("acme", "open-source"):
        status, page = running.request("GET", "/v1/members?network=%s&pageSize=100" % network)
        for member in (page or {}).get("members", []) if status == 200 else []:
            rows.append((member["displayName"], member["id"], running.mint(member=member["id"])))
    with open(path, "w") as f:
        f.write("".join("%s\t%s\t%s\n" % row for row in sorted(set(rows))))
    os.chmod(path, 0o600)
    return path
