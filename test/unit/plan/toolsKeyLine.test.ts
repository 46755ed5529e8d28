import { strict as assert } from 'node:assert';
import { toolsKeyLine } from '../../../src/core/plan/toolsKeyLine';
import { parsePlan } from '../../../src/core/plan/parse';

describe('toolsKeyLine (the CodeLens line before the analysis lands)', () => {
  const yaml = 'name: trip\nmaxConcurrency: 4\ntools:\n  - id: a\n    type: simulate\n    args: { tools: 2 }\n';
  const json = '{\n  "name": "trip",\n  "maxConcurrency": 4,\n  "tools": [\n    { "id": "a", "type": "simulate", "args": {\n      "tools": 3 } }\n  ]\n}\n';

  it('finds the top-level tools key in YAML and JSON, not a nested one', () => {
    assert.equal(toolsKeyLine(yaml), 2);
    assert.equal(toolsKeyLine(json), 3);
  });

  it('agrees with the parser\'s range for the tools key (so the lens does not move when it lands)', () => {
    for (const [text, fileName] of [[yaml, 'p.toolplan.yaml'], [json, 'p.toolplan.json']] as const) {
      const ranges = parsePlan(text, { fileName }).plan?.ranges.tools;
      assert.ok(ranges, fileName);
      assert.equal(toolsKeyLine(text), ranges.line - 1, fileName);
    }
  });

  it('falls back to line 0 without a tools key', () => {
    assert.equal(toolsKeyLine('name: x\n'), 0);
    assert.equal(toolsKeyLine(''), 0);
  });
});
