import type { Rule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';
import duplicateSection from './duplicate-section.js';
import duplicateTemplate from './duplicate-template.js';
import editDontList from './edit-dont-list.js';
import editVerification from './edit-verification.js';
import emptySection from './empty-section.js';
import frontmatterSchema from './frontmatter-schema.js';
import frontmatterYaml from './frontmatter-yaml.js';
import hiddenContent from './hidden-content.js';
import lensConcreteCheck from './lens-concrete-check.js';
import nameMatchesFile from './name-matches-file.js';
import outputSchemaInvalid from './output-schema-invalid.js';
import outputSchemaStrict from './output-schema-strict.js';
import overrideWidensRole from './override-widens-role.js';
import placeholderSyntax from './placeholder-syntax.js';
import preambleDuplicated from './preamble-duplicated.js';
import preambleGuard from './preamble-guard.js';
import promptBudget from './prompt-budget.js';
import requiredSection from './required-section.js';
import reservedName from './reserved-name.js';
import reviewEvidence from './review-evidence.js';
import reviewOutputContract from './review-output-contract.js';
import scopeMissing from './scope-missing.js';
import todoPlaceholder from './todo-placeholder.js';
import undeclaredPlaceholder from './undeclared-placeholder.js';
import unknownLens from './unknown-lens.js';
import unusedParameter from './unused-parameter.js';
import workerSpawnsWorkers from './worker-spawns-workers.js';

/** Every rule for template files, in documentation order. */
export const templateRules: readonly Rule<TemplateLintInput>[] = [
  frontmatterYaml,
  frontmatterSchema,
  nameMatchesFile,
  duplicateTemplate,
  reservedName,
  placeholderSyntax,
  undeclaredPlaceholder,
  unusedParameter,
  requiredSection,
  duplicateSection,
  emptySection,
  unknownLens,
  scopeMissing,
  overrideWidensRole,
  preambleGuard,
  preambleDuplicated,
  workerSpawnsWorkers,
  outputSchemaInvalid,
  outputSchemaStrict,
  reviewEvidence,
  reviewOutputContract,
  editVerification,
  editDontList,
  lensConcreteCheck,
  promptBudget,
  todoPlaceholder,
  hiddenContent,
];
