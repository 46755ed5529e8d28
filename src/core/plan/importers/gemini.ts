import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import { makeDiagnostic } from '../diagnostics';
import { arr, buildTools, capPerCode, count, failure, importedPlan, obj, rangeOf, str, strValue, type ArrayNode, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/**
 * Gemini (Google AI and Vertex AI) `functionCall` parts. Accepted shapes:
 * - a `generateContent` response `{ candidates: [{ content: { role: 'model', parts } }] }`; like
 *   OpenAI's choices, candidates are alternatives, so the first one with calls is the batch;
 * - a request or conversation `{ contents: [...] }`, or a bare list of contents: the LAST model
 *   turn with functionCall parts (also when functionResponse parts follow it: that is the batch
 *   the conversation ran);
 * - one content `{ role: 'model', parts }`, a bare list of parts, a list of candidates, or a list
 *   of streamed responses (streamGenerateContent returns whole parts per chunk: their calls are joined).
 * google-genai's printed objects (`print(response)`) arrive here too, read by pyrepr.ts with their
 * snake_case fields renamed to the API's camelCase (parse.ts GENAI_REPR).
 * Calls have no ids unless the API adds one (`functionCall.id`): the name gives a stable id
 * (`get_weather`, `get_weather_2`). Thought signatures and text parts are ignored.
 */
export const geminiImporter: TreeImporter = {
  format: 'gemini',
  detect(root) {
    if (root.type === 'array') {
      const first = root.items.find((i) => i.type === 'object');
      return !!first && (isPart(first) || isContent(first) || !!arr(first, 'candidates') || isCandidate(first));
    }
    if (root.type !== 'object') return false;
    if (arr(root, 'candidates') || obj(root, 'functionCall')) return true;
    const contents = arr(root, 'contents');
    if (contents) return contents.items.some(isContent);
    return isContent(root) && (strValue(root, 'role') === 'model' || arr(root, 'parts')!.items.some(isPart));
  },
  import(root, ctx) {
    if (root.type === 'array') {
      const first = root.items.find((i) => i.type === 'object');
      if (first && arr(first, 'candidates')) return fromStreamedResponses(root, ctx);
      if (first && isContent(first)) return fromContents(root, root, ctx, '');
      if (first && isCandidate(first)) return fromResponse(root, root, ctx);
      return fromParts(root, root, ctx, '');
    }
    if (obj(root, 'functionCall')) return fromParts({ type: 'array', offset: root.offset, length: root.length, items: [root] }, root, ctx, '');
    const candidates = arr(root, 'candidates');
    if (candidates) return fromResponse(root, candidates, ctx);
    const contents = arr(root, 'contents');
    if (contents) return fromContents(contents, root, ctx, modelOf(root));
    return fromParts(arr(root, 'parts')!, root, ctx, '');
  },
};

function isPart(node: PNode): boolean {
  return node.type === 'object' && (!!obj(node, 'functionCall') || !!obj(node, 'functionResponse'));
}

function isContent(node: PNode): boolean {
  const parts = arr(node, 'parts');
  if (!parts) return false;
  const role = strValue(node, 'role');
  return role === 'model' || role === 'user' || role === 'function' || parts.items.some(isPart);
}

/** A candidate on its own (`response.candidates`, printed: `[Candidate(content=Content(…))]`). */
function isCandidate(node: PNode): boolean {
  const content = get(node, 'content');
  return !!content && isContent(content);
}

function modelOf(root: PNode): string {
  const m = strValue(root, 'modelVersion') ?? strValue(root, 'model');
  return m ? ` · ${m.replace(/\s+/g, ' ').trim().slice(0, 60)}` : '';
}

function fromResponse(root: PNode, candidates: ArrayNode, ctx: ImportContext): ImportResult {
  const usable = candidates.items.filter((c) => c.type === 'object');
  const k = usable.findIndex((c) => callParts(arr(get(c, 'content'), 'parts')).length > 0);
  if (k === -1) {
    const reason = strValue(usable[0], 'finishReason');
    const block = strValue(obj(root, 'promptFeedback'), 'blockReason');
    const why = block ? ` (the prompt was blocked: ${block})` : reason ? ` (finishReason is "${reason}")` : '';
    return failure(ctx, root, `This Gemini response has no functionCall parts${why}: the model answered in text. Select a response whose candidates[0].content.parts include functionCall parts.`);
  }
  const which = usable.length > 1 ? ` · candidate ${k + 1} of ${usable.length}` : '';
  const parts = arr(get(usable[k], 'content'), 'parts')!;
  return fromParts(parts, root, ctx, modelOf(root) + which, strValue(usable[k], 'finishReason'));
}

function fromContents(contents: ArrayNode, root: PNode, ctx: ImportContext, suffix: string): ImportResult {
  for (let i = contents.items.length - 1; i >= 0; i--) {
    const c = contents.items[i];
    const parts = arr(c, 'parts');
    if (parts && strValue(c, 'role') !== 'user' && callParts(parts).length > 0) return fromParts(parts, root, ctx, suffix);
  }
  const models = contents.items.filter((c) => strValue(c, 'role') === 'model').length;
  return failure(ctx, root, models === 0
    ? `This looks like a Gemini request body (\`contents\`, ${count(contents.items.length, 'turn')}) without model turns: there are no functionCall parts yet. Select the generateContent response, or a conversation whose last model turn has functionCall parts.`
    : `None of the ${count(models, 'model turn')} in these Gemini contents has functionCall parts: the model answered in text. Select a conversation whose last model turn has functionCall parts.`);
}

function fromStreamedResponses(list: ArrayNode, ctx: ImportContext): ImportResult {
  const parts: PNode[] = [];
  for (const r of list.items) {
    const c0 = arr(r, 'candidates')?.items[0];
    for (const p of arr(get(c0, 'content'), 'parts')?.items ?? []) parts.push(p);
  }
  return fromParts({ type: 'array', offset: list.offset, length: list.length, items: parts }, list, ctx, ` · ${count(list.items.length, 'streamed chunk')}`);
}

function callParts(parts: ArrayNode | undefined): PNode[] {
  return parts ? parts.items.filter((p) => !!obj(p, 'functionCall')) : [];
}

function fromParts(parts: ArrayNode, container: PNode, ctx: ImportContext, suffix: string, finishReason?: string): ImportResult {
  const calls = callParts(parts);
  if (calls.length === 0) {
    return failure(ctx, container, 'These Gemini parts have no functionCall part. Select the model turn whose parts include { "functionCall": { "name": "…", "args": { … } } }.');
  }
  const diagnostics: Diagnostic[] = [];
  const drafts: CallDraft[] = [];
  for (const part of calls) {
    const fc = obj(part, 'functionCall')!;
    const name = get(fc, 'name');
    if (name?.type !== 'string' || name.value.trim() === '') {
      diagnostics.push(makeDiagnostic({ code: 'schema', range: rangeOf(ctx, name ?? fc),
        message: 'This functionCall has no name, so there is no function to call. Add "name": "<the function>", e.g. { "functionCall": { "name": "get_weather", "args": { "city": "Paris" } } }.' }));
      continue;
    }
    const id = str(fc, 'id');
    const args = get(fc, 'args');
    drafts.push({ name: name.value, node: part, argsField: 'args', ...(id ? { providerId: id } : {}), ...(args ? { argsNode: args } : {}) });
  }
  if (drafts.length === 0) return failure(ctx, parts, 'No usable functionCall parts: every one is missing its name.', diagnostics);
  const built = buildTools(drafts, ctx);
  if (finishReason === 'MAX_TOKENS') {
    diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: rangeOf(ctx, parts),
      message: 'This candidate stopped at the token limit (finishReason "MAX_TOKENS"), so the calls may be incomplete. Raise maxOutputTokens and retry before running this batch.' }));
  }
  const plan = importedPlan('gemini', `Gemini function calls (${drafts.length})${suffix}`, built.tools, rangeOf(ctx, container));
  return { plan, diagnostics: capPerCode([...diagnostics, ...built.diagnostics]) };
}
