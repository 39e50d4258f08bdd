// Assignment and case: the investigation header shared by camt.056 and camt.029.
import { readPartyOrAgent } from './components-read.js';
import { partyOrAgentElement } from './components-write.js';
import { booleanElement, pathOf, requiredText as writeRequiredText, type GenerateContext } from './generate-context.js';
import type { PartyOrAgent } from './model.js';
import { compact, joinPath, readBoolean, requiredElement, requiredText, type ParseContext } from './parse-context.js';
import type { XmlElement } from './xml-element.js';
import type { OptionalElement } from './xml-writer.js';

export interface Assignment {
  /** The identification of this assignment (the message's own identifier). */
  readonly identification: string;
  readonly assigner: PartyOrAgent;
  readonly assignee: PartyOrAgent;
  readonly creationDateTime: string;
}

export interface InvestigationCase {
  readonly identification: string;
  readonly creator: PartyOrAgent;
  readonly reopenCaseIndication?: boolean;
}

const NOBODY: PartyOrAgent = { party: {} };

export function readAssignment(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): Assignment | undefined {
  if (element === undefined) return undefined;
  const assigner = readPartyOrAgent(
    requiredElement(element, 'Assgnr', path, context),
    joinPath(path, 'Assgnr'),
    context,
  );
  const assignee = readPartyOrAgent(
    requiredElement(element, 'Assgne', path, context),
    joinPath(path, 'Assgne'),
    context,
  );
  return {
    identification: requiredText(element, 'Id', path, context),
    assigner: assigner ?? NOBODY,
    assignee: assignee ?? NOBODY,
    creationDateTime: requiredText(element, 'CreDtTm', path, context),
  };
}

export function readCase(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): InvestigationCase | undefined {
  if (element === undefined) return undefined;
  const creator = readPartyOrAgent(
    requiredElement(element, 'Cretr', path, context),
    joinPath(path, 'Cretr'),
    context,
  );
  return compact({
    identification: requiredText(element, 'Id', path, context),
    creator: creator ?? NOBODY,
    reopenCaseIndication: readBoolean(element, 'ReopCaseIndctn', path, context),
  });
}

export function assignmentElement(
  context: GenerateContext,
  assignment: Assignment,
  path: string,
): XmlElement {
  const here = pathOf(path, 'Assgnmt');
  return context.build.element('Assgnmt', [
    writeRequiredText(context, 'Id', assignment.identification, here),
    partyOrAgentElement(context, 'Assgnr', assignment.assigner, here),
    partyOrAgentElement(context, 'Assgne', assignment.assignee, here),
    writeRequiredText(context, 'CreDtTm', assignment.creationDateTime, here),
  ]);
}

export function caseElement(
  context: GenerateContext,
  name: string,
  investigationCase: InvestigationCase | undefined,
  path: string,
): OptionalElement {
  if (investigationCase === undefined) return undefined;
  const here = pathOf(path, name);
  return context.build.element(name, [
    writeRequiredText(context, 'Id', investigationCase.identification, here),
    partyOrAgentElement(context, 'Cretr', investigationCase.creator, here),
    booleanElement(context, 'ReopCaseIndctn', investigationCase.reopenCaseIndication),
  ]);
}
