/**
 * The language adapters and how a document finds its adapter: by the client's language id (VS Code's, or
 * another editor's such as Neovim's `cs`, `ps1`), else by the file extension.
 */
import type { LanguageAdapter } from '../types';
import { CSharpAdapter } from './csharp';
import { GoAdapter } from './go';
import { HttpAdapter } from './http';
import { JavaAdapter } from './java';
import { PowerShellAdapter } from './powershell';
import { PythonAdapter } from './python';
import { TypeScriptAdapter } from './typescript';

const typescript = new TypeScriptAdapter('typescript');
const javascript = new TypeScriptAdapter('javascript');
const csharp = new CSharpAdapter();
const powershell = new PowerShellAdapter();
const python = new PythonAdapter();
const java = new JavaAdapter();
const go = new GoAdapter();
const http = new HttpAdapter();

const BY_LANGUAGE_ID: Record<string, LanguageAdapter> = {
  typescript,
  typescriptreact: typescript,
  javascript,
  javascriptreact: javascript,
  csharp,
  cs: csharp,
  powershell,
  ps1: powershell,
  python,
  java,
  go,
  http,
  rest: http,
};

const BY_EXTENSION: Record<string, LanguageAdapter> = {
  '.ts': typescript,
  '.mts': typescript,
  '.cts': typescript,
  '.tsx': typescript,
  '.js': javascript,
  '.mjs': javascript,
  '.cjs': javascript,
  '.jsx': javascript,
  '.cs': csharp,
  '.csx': csharp,
  '.ps1': powershell,
  '.psm1': powershell,
  '.py': python,
  '.pyw': python,
  '.java': java,
  '.go': go,
  '.http': http,
  '.rest': http,
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);
export const SUPPORTED_LANGUAGE_IDS: readonly string[] = Object.keys(BY_LANGUAGE_ID);

function extensionOf(fileName: string): string {
  const m = /(\.[A-Za-z0-9]+)$/.exec(fileName);
  return m ? m[1].toLowerCase() : '';
}

export function adapterForLanguageId(languageId: string | undefined): LanguageAdapter | undefined {
  return languageId ? BY_LANGUAGE_ID[languageId] : undefined;
}

export function adapterForFile(fileName: string): LanguageAdapter | undefined {
  return BY_EXTENSION[extensionOf(fileName)];
}

/** The client's language id first (when it is one we know), else the file's extension. */
export function adapterFor(fileName: string, languageId?: string): LanguageAdapter | undefined {
  return adapterForLanguageId(languageId) ?? adapterForFile(fileName);
}

export const ADAPTERS: readonly LanguageAdapter[] = [typescript, javascript, csharp, powershell, python, java, go, http];
