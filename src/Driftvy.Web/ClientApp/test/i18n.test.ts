import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fill, langFrom, textsFor, type Texts } from "../src/shared/i18n";

// Every leaf of one language's texts, as "path" → value.
function leaves(o: unknown, path = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (o !== null && typeof o === "object") {
    for (const [k, v] of Object.entries(o)) {
      for (const [p, x] of leaves(v, path ? path + "." + k : k)) { out.set(p, x); }
    }
  } else {
    out.set(path, o);
  }
  return out;
}

describe("i18n", () => {
  test("langFrom_LangEn_English", () => {
    assert.equal(langFrom("?lang=en"), "en");
    assert.equal(langFrom("?token=x&lang=en"), "en");
  });
  test("langFrom_AnythingElse_Swedish", () => {
    assert.equal(langFrom(""), "sv");
    assert.equal(langFrom("?lang=de"), "sv");
    assert.equal(langFrom("?lang=EN"), "sv");
  });
  test("textsFor_BothLanguages_SameKeysEveryTextFilled", () => {
    const sv = leaves(textsFor("sv"));
    const en = leaves(textsFor("en"));
    assert.deepEqual([...en.keys()].sort(), [...sv.keys()].sort());
    for (const [k, v] of [...sv, ...en]) {
      assert.equal(typeof v, "string", k);
      assert.ok((v as string).trim().length > 0, "empty text " + k);
    }
  });
  test("textsFor_SamePlaceholdersInBothLanguages", () => {
    const placeholders = (s: unknown): string => [...String(s).matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort().join(",");
    const en = leaves(textsFor("en"));
    for (const [k, v] of leaves(textsFor("sv"))) {
      assert.equal(placeholders(en.get(k)), placeholders(v), k);
    }
  });
  test("textsFor_Swedish_TextsTheScreensShow", () => {
    const t: Texts = textsFor("sv");
    assert.equal(t.wall.target, "Mål");
    assert.equal(t.wall.window.ytd, "Året hittills");
    assert.equal(textsFor("en").wall.target, "Target");
  });
  test("fill_Placeholders_Replaced", () => {
    assert.equal(fill("{n} rader saknar underlag", { n: 3 }), "3 rader saknar underlag");
    assert.equal(fill("Fastställd {when} av {by}", { when: "2026-05-04 09:00", by: "anna" }), "Fastställd 2026-05-04 09:00 av anna");
  });
  test("fill_UnknownPlaceholder_LeftAsWritten", () => {
    assert.equal(fill("{a} och {b}", { a: 1 }), "1 och {b}");
  });
});
