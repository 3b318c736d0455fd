// Reads the calendars of a built example-org (calendar.ics and teams/*.ics) with ical.js,
// Mozilla's iCalendar parser, and expands every recurring meeting over November 2026
// (central European winter time) and its first occurrence in July 2026 (summer time).
// ical.js has no time zone database of its own: the UTC instants below come from the
// VTIMEZONE accord writes, so they prove it as much as the RRULEs.
//
//   node tests/ical/expand.mjs SITE_DIR
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import ICAL from "ical.js";

const site = process.argv[2];
assert.ok(site, "usage: node expand.mjs SITE_DIR");

// Each meeting of example-org, its day and time in Europe/Madrid, as UTC instants.
const EXPECTED = {
  "meeting-smarketing-weekly": {
    november: ["2026-11-02T08:00", "2026-11-09T08:00", "2026-11-16T08:00", "2026-11-23T08:00", "2026-11-30T08:00"],
    july: "2026-07-06T07:00",
    minutes: 35,
  },
  "meeting-operations-weekly": {
    november: ["2026-11-04T07:30", "2026-11-11T07:30", "2026-11-18T07:30", "2026-11-25T07:30"],
    july: "2026-07-01T06:30",
    minutes: 30,
  },
  "meeting-customer-handover-weekly": {
    november: ["2026-11-05T11:00", "2026-11-12T11:00", "2026-11-19T11:00", "2026-11-26T11:00"],
    july: "2026-07-02T10:00",
    minutes: 30,
  },
  "meeting-smarketing-monthly": {
    november: ["2026-11-03T09:00"],
    july: "2026-07-07T08:00",
    minutes: 60,
  },
  "meeting-revenue-monthly": {
    november: ["2026-11-27T10:00"],
    july: "2026-07-31T09:00",
    minutes: 50,
  },
};

const utc = (time) => time.toJSDate().toISOString().slice(0, 16);

/** The events of one .ics file, by UID without the domain, after parsing it whole. */
function read(path) {
  const text = readFileSync(path, "utf8");
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, "vcalendar", path);
  assert.equal(calendar.getFirstPropertyValue("version"), "2.0", path);
  ICAL.TimezoneService.reset();
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = new Map();
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const uid = event.uid.split("@")[0];
    assert.ok(!events.has(uid), `${path}: UID ${event.uid} twice`);
    assert.ok(event.uid.endsWith("@estanterías-peñalara"), event.uid);
    events.set(uid, event);
  }
  return events;
}

/** The starts of `event` from `from` (inclusive) to `to` (exclusive), UTC. */
function occurrences(event, from, to) {
  const found = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const at = utc(next);
    if (at >= to) break;
    if (at >= from) found.push(at);
  }
  return found;
}

function checkMeetings(path, events, expectedUids) {
  for (const uid of expectedUids) {
    const event = events.get(uid);
    assert.ok(event, `${path}: no ${uid}`);
    assert.ok(event.isRecurring(), `${path}: ${uid} does not recur`);
    const expected = EXPECTED[uid];
    assert.deepEqual(occurrences(event, "2026-11-01", "2026-12-01"), expected.november, `${path}: ${uid} in November`);
    assert.deepEqual(occurrences(event, "2026-07-01", "2026-08-01")[0], expected.july, `${path}: ${uid} in July`);
    assert.equal(event.duration.toSeconds(), expected.minutes * 60, `${path}: ${uid} duration`);
  }
}

const all = read(join(site, "calendar.ics"));
checkMeetings("calendar.ics", all, Object.keys(EXPECTED));
// Due dates, expiries and renewals are all-day events on their dates.
const allDay = [...all.values()].filter((e) => !e.isRecurring());
assert.ok(allDay.length > 0, "no all-day events");
for (const event of allDay) {
  assert.ok(event.startDate.isDate, `${event.uid} is not all day`);
}
const expiry = all.get("expiry-marketing-sales-sla-2026");
assert.equal(expiry.startDate.toString(), "2026-12-31");
assert.equal(all.get("renewal-marketing-sales-sla-2026").startDate.toString(), "2026-12-01");

// Each team's file: events of calendar.ics, the same, and its own meetings among them.
const teamsDir = join(site, "teams");
const files = readdirSync(teamsDir).filter((f) => f.endsWith(".ics")).sort();
assert.ok(files.length >= 6, `teams/*.ics: ${files}`);
for (const file of files) {
  const events = read(join(teamsDir, file));
  for (const [uid, event] of events) {
    assert.ok(all.has(uid), `teams/${file}: ${uid} is not in calendar.ics`);
    assert.equal(event.summary, all.get(uid).summary, `teams/${file}: ${uid}`);
  }
  const meetings = [...events.keys()].filter((uid) => uid.startsWith("meeting-"));
  checkMeetings(`teams/${file}`, events, meetings);
}
const marketing = read(join(teamsDir, "marketing.ics"));
assert.deepEqual(
  [...marketing.keys()].filter((uid) => uid.startsWith("meeting-")).sort(),
  ["meeting-smarketing-monthly", "meeting-smarketing-weekly"],
);
console.log(`ical.js read calendar.ics (${all.size} events) and ${files.length} team calendars; every meeting expands as expected`);
