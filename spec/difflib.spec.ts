// lib/difflib.ts: SequenceMatcher's ratio and get_close_matches, against values Python 3.11's
// difflib computed.
import { expect } from "chai";
import { closeMatches, sequenceRatio } from "../lib/difflib.js";

describe("sequenceRatio", () => {
  // difflib.SequenceMatcher(None, a, b).ratio() values computed with Python 3.11.
  const cases: [string, string, number][] = [
    ["profile", "profil", 0.9230769230769231],
    ["abcd", "bcde", 0.75],
    ["", "", 1],
    ["files_edit", "nonexistent_endpoint", 0.4666666666666667],
    ["tide", "diet", 0.25],
  ];
  for (const [a, b, ratio] of cases) {
    it(`ratio(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${ratio}`, () => {
      expect(sequenceRatio(a, b)).to.be.closeTo(ratio, 1e-12);
    });
  }
});

describe("closeMatches (Python's difflib.get_close_matches)", () => {
  // Expected lists computed with Python 3.11's difflib.get_close_matches(word, possibilities).
  const cases: [string, string[], string[]][] = [
    ["--cou", ["--admin", "--count", "--help"], ["--count"]],
    ["--hepl", ["--admin", "--count", "--help"], ["--help"]],
    ["--nme", ["--name", "--ratio", "--shout", "--no-shout", "--tag", "--help"], ["--name"]],
    ["creat", ["create", "run", "routes"], ["create"]],
    ["rout", ["routes", "run", "shell"], ["routes"]],
    ["--no-shot", ["--shout", "--no-shout", "--name", "--help"], ["--no-shout", "--shout"]],
    ["zzz", ["routes", "run", "shell"], []],
    ["ab", ["abc", "abd", "xab", "ba"], ["xab", "abd", "abc"]],
  ];
  for (const [word, possibilities, expected] of cases) {
    it(`${word} among ${possibilities.join(" ")} -> ${expected.join(" ") || "none"} (expected from Python's difflib)`, () => {
      expect(closeMatches(word, possibilities)).to.deep.equal(expected);
    });
  }
});
