// Exercises in the editor: each exercise's starting file (a plan, or code for a code exercise) is
// copied once into the extension's global storage (a real file: the learner edits and saves it
// with Ctrl+S, the plans feature analyses a plan as they type, and the work survives a reload).
// "Check" grades the document's current text, saved or not.
import * as vscode from 'vscode';
import { gradeExercise, type GradeResult } from '../../core/lessons/grade';
import { gradeCodeExercise, type CodeGrade } from '../../core/lessons/code/run';
import type { CodeExercise, Exercise, PlanExercise } from '../../core/lessons/types';
import type { LoadedCourse } from '../../core/lessons/load';
import { fileExists } from '../fileExists';

export class ExerciseFiles {
  constructor(private readonly storage: vscode.Uri, private readonly extensionUri: vscode.Uri) {}

  /** Named after the exercise (every start file is start.toolplan.*, which would make tabs alike). */
  uriOf(exercise: Exercise): vscode.Uri {
    if (exercise.kind === 'code') {
      const ext = exercise.language === 'python' ? 'py' : exercise.language === 'typescript' ? 'ts' : 'mjs';
      return vscode.Uri.joinPath(this.storage, 'exercises', exercise.id, `${exercise.id}.${ext}`);
    }
    const ext = /\.toolplan\.(json|ya?ml)$/i.exec(exercise.start)?.[1] ?? 'json';
    return vscode.Uri.joinPath(this.storage, 'exercises', exercise.id, `${exercise.id}.toolplan.${ext}`);
  }

  /** The exercise whose copy `uri` is, if any (for "Run Exercise Tests" from the editor). */
  exerciseOf(exercises: readonly Exercise[], uri: vscode.Uri): Exercise | undefined {
    return exercises.find((e) => this.uriOf(e).toString() === uri.toString());
  }

  /**
   * Opens the learner's copy, creating it from the starting plan the first time, BESIDE the
   * lessons view (in its own group), so the brief and "Check my solution" stay in sight.
   */
  async open(loaded: LoadedCourse, exercise: Exercise): Promise<vscode.TextEditor> {
    const uri = this.uriOf(exercise);
    if (!(await fileExists(uri))) await this.write(uri, await this.startText(loaded, exercise));
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { viewColumn: this.columnFor(uri), preview: false });
  }

  /** Puts the starting plan back (the caller has asked the learner). */
  async restart(loaded: LoadedCourse, exercise: Exercise): Promise<void> {
    const uri = this.uriOf(exercise);
    const text = await this.startText(loaded, exercise);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    } else {
      await this.write(uri, text);
    }
    await this.open(loaded, exercise);
  }

  /** The learner's current text: the open document (unsaved edits count), else the saved file. */
  async currentText(exercise: Exercise): Promise<string | undefined> {
    const uri = this.uriOf(exercise);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) return doc.getText();
    if (!(await fileExists(uri))) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  }

  async grade(exercise: PlanExercise, hintsRevealed: number): Promise<GradeResult | undefined> {
    const text = await this.currentText(exercise);
    if (text === undefined) return undefined;
    return gradeExercise(exercise, text, { fileName: this.uriOf(exercise).path, hintsRevealed, cores: 4 });
  }

  /**
   * Runs the hidden tests against the learner's code in a child process (node or python3). The
   * caller has checked that the workspace is trusted and that the learner asked for it.
   */
  async runTests(loaded: LoadedCourse, exercise: CodeExercise, hintsRevealed: number): Promise<CodeGrade | undefined> {
    const text = await this.currentText(exercise);
    if (text === undefined) return undefined;
    const tests = await this.courseText(loaded, exercise.tests);
    // tsx is found only in a development checkout (node_modules beside the extension); an installed
    // extension runs TypeScript with Node's own type stripping (src/core/lessons/code/runtimes.ts).
    return gradeCodeExercise(exercise, text, tests, { hintsRevealed, tsxSearch: [this.extensionUri.fsPath] });
  }

  async reveal(exercise: Exercise, line: number, column: number): Promise<void> {
    const uri = this.uriOf(exercise);
    if (!(await fileExists(uri))) return;
    const doc = await vscode.workspace.openTextDocument(uri);
    const l = Math.min(Math.max(0, Math.floor(line) - 1), Math.max(0, doc.lineCount - 1));
    const c = Math.min(Math.max(0, Math.floor(column) - 1), doc.lineAt(l).text.length);
    const pos = new vscode.Position(Number.isFinite(l) ? l : 0, Number.isFinite(c) ? c : 0);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: this.columnFor(uri), selection: new vscode.Range(pos, pos), preview: false });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /**
   * Where the plan goes: the group already showing it, else a group showing another text editor
   * (never the lessons' own group: a webview is not a text editor), else a new group beside.
   */
  private columnFor(uri: vscode.Uri): vscode.ViewColumn {
    const editors = vscode.window.visibleTextEditors;
    return editors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn
      ?? editors.find((e) => e.viewColumn !== undefined)?.viewColumn
      ?? vscode.ViewColumn.Beside;
  }

  private startText(loaded: LoadedCourse, exercise: Exercise): Promise<string> {
    return this.courseText(loaded, exercise.start);
  }

  private async courseText(loaded: LoadedCourse, path: string): Promise<string> {
    const known = loaded.files.get(path);
    if (known !== undefined) return known;
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, ...path.split('/')));
    return new TextDecoder().decode(bytes);
  }

  private async write(uri: vscode.Uri, text: string): Promise<void> {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  }
}
