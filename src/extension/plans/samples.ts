// fanout.openSample: a sample plan from the extension's lessons/samples, opened as an UNTITLED copy
// named like a plan file, so it is analysed, runnable (untitled documents have a URI) and can be
// edited freely without touching the extension's files. Saving writes it next to the workspace.
// The sample's plan view opens beside it.
import * as path from 'node:path';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { CatalogGroup } from '../../core/lessons/sampleCatalog';
import { lessonsHost } from '../lessons/host';
import { parsePlan } from '../../core/plan/parse';
import { isPlanFileName, sampleRelativePath } from './planFiles';
import { fileExists } from '../fileExists';
import { COMMANDS } from '../runBus';

interface SampleItem extends vscode.QuickPickItem {
  readonly file: string;
}

export function createOpenSampleCommand(extensionUri: vscode.Uri) {
  const samplesDir = vscode.Uri.joinPath(extensionUri, 'lessons', 'samples');
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    let rel: string | undefined;
    if (typeof arg === 'string' && arg !== '') {
      rel = sampleRelativePath(arg);
      if (!rel) {
        void vscode.window.showErrorMessage(`Fanout: "${arg}" is not a sample plan. Samples are lessons/samples/*.toolplan.json|yaml.`);
        return undefined;
      }
    } else {
      const pick = await pickSample(samplesDir, extensionUri);
      if (!pick) return undefined;
      rel = `lessons/samples/${pick}`;
    }
    const source = vscode.Uri.joinPath(extensionUri, ...rel.split('/'));
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
    } catch {
      void vscode.window.showErrorMessage(`Fanout: the sample ${rel} is missing from the extension.`);
      return undefined;
    }
    const target = await untitledTarget(path.posix.basename(rel));
    const doc = await vscode.workspace.openTextDocument(target);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    if (doc.getText() === '') {
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), text));
      editor.selection = new vscode.Selection(0, 0, 0, 0);
    }
    // Its graph beside it, the focus staying in the editor: a sample is opened to be looked at
    // and run, and Run then paints into a view that already exists instead of waiting for VS Code
    // to make a webview (docs/architecture.md, "First paint"). Not awaited: the command returns
    // with the document while the view boots.
    void vscode.commands.executeCommand(COMMANDS.showGraph, doc.uri, { preserveFocus: true });
    return doc.uri;
  };
}

async function pickSample(dir: vscode.Uri, extensionUri: vscode.Uri): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await vscode.workspace.fs.readDirectory(dir)).filter(([n, t]) => t === vscode.FileType.File && isPlanFileName(n)).map(([n]) => n).sort();
  } catch {
    names = [];
  }
  if (names.length === 0) {
    void vscode.window.showWarningMessage('Fanout: no sample plans are installed with this extension.');
    return undefined;
  }
  const groups = await catalog(extensionUri, names);
  const describe = async (file: string): Promise<{ name?: string; tools?: string }> => {
    try {
      const plan = parsePlan(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, file))), { fileName: file }).plan;
      return plan ? { name: plan.name, tools: `${plan.tools.length} tool${plan.tools.length === 1 ? '' : 's'}` } : {};
    } catch {
      return {};
    }
  };
  const items: (SampleItem | vscode.QuickPickItem)[] = [];
  for (const g of groups) {
    items.push({ label: g.title, kind: vscode.QuickPickItemKind.Separator });
    for (const s of g.samples) {
      const d = await describe(s.file);
      const name = d.name ?? s.file;
      // The quick pick cuts a long label and description first ("Start here: seq…"): the label stays
      // a short title, and the file name leads the detail line, which has the picker's full width.
      items.push({
        label: s.startHere ? '$(star-full) Start here' : name,
        description: [s.startHere ? name : undefined, d.tools].filter(Boolean).join(' · '),
        detail: [s.file, s.blurb].filter(Boolean).join(' — '),
        file: s.file,
      } satisfies SampleItem);
    }
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'Open Sample Plan', placeHolder: 'Grouped by lesson; a sample opens as an untitled copy you can edit, run and save', matchOnDescription: true, matchOnDetail: true });
  return pick && 'file' in pick ? pick.file : undefined;
}

/** Grouped by the lesson step that uses each sample; a flat list when the course cannot be read. */
async function catalog(extensionUri: vscode.Uri, names: readonly string[]): Promise<readonly CatalogGroup[]> {
  try {
    const groups = await lessonsHost().sampleGroups(extensionUri.fsPath, names);
    if (groups) return groups;
  } catch {
    // fall through: the picker still works without the course
  }
  return [{ title: 'Samples', samples: names.map((file) => ({ file, blurb: '', startHere: false })) }];
}

/**
 * An untitled URI with a file path: VS Code names the editor after it, picks the language from
 * the extension, and saves there. VS Code refuses one whose file already exists, so pick a
 * free name (trip.toolplan.json, trip-2.toolplan.json, …); an open untitled copy is reused.
 */
async function untitledTarget(name: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const dir = folder && folder.scheme === 'file' ? folder.fsPath : os.homedir();
  const m = /^(.*?)(\.toolplan\.[a-z]+)$/i.exec(name);
  const stem = m ? m[1] : name;
  const ext = m ? m[2] : '';
  for (let k = 1; k < 100; k++) {
    const file = path.join(dir, k === 1 ? name : `${stem}-${k}${ext}`);
    const uri = vscode.Uri.file(file).with({ scheme: 'untitled' });
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return uri;
    if (!(await fileExists(vscode.Uri.file(file)))) return uri;
  }
  return vscode.Uri.from({ scheme: 'untitled', path: name });
}
