import { formatSizeIn } from "../format-size.ts";
import type { ConfigTable, NotAFile, Seen } from "./codes.ts";

/** The configuration mistakes in Spanish (usted). Codes, keys and values are written as they are. */

const q = (v: string) => `\`${v}\``;
const SEEN = { none: "el valor", empty: "un valor vacío", list: "una lista", mapping: "un mapa de claves" } as const;
const seen = (p: Seen) => (p.found === "value" ? q(p.value) : SEEN[p.found]);
const found = (p: Seen) => (p.found === "none" ? "" : ` (se encontró ${seen(p)})`);
const useOneOf = (list: readonly string[]) => `Use uno de estos: ${list.join(", ")}.`;
const SPECIAL = {
  fifo: "un FIFO (tubería con nombre)",
  socket: "un socket",
  device: "un dispositivo",
  other: "una entrada de tipo desconocido",
};
const TYPES: Readonly<Record<string, string>> = {
  string: "texto",
  number: "número",
  int: "número entero",
  boolean: "sí/no (booleano)",
  array: "lista",
  object: "mapa de claves",
};
const typeName = (t: string) => TYPES[t] ?? t;

function notAFile(p: NotAFile): string {
  switch (p.found) {
    case "folder":
      return p.link ? "es un enlace a una carpeta, y c2c no sigue esos enlaces" : "es una carpeta, no un archivo";
    case "special":
      return `es ${p.link ? `un enlace a ${SPECIAL[p.special]}` : SPECIAL[p.special]}, no un archivo normal, así que c2c no lo abrió`;
    case "missing":
      return "no existe ese archivo";
    case "link-loop":
      return "es un enlace que lleva de vuelta a sí mismo";
    case "link-broken":
      return `es un enlace a ${p.target}, que no existe`;
    case "stalled":
      return `la lectura no avanzó durante ${p.seconds} segundos`;
  }
}

const none = () => "";
const copyInstead = () => "Copie el archivo mismo en la carpeta del proyecto, en lugar del enlace.";

export const CONFIG_ES: ConfigTable = {
  "config-missing": {
    message: (p) => `no hay ningún c2c.config.yaml en ${p.root}.`,
    fix: () =>
      "Ejecute c2c en la carpeta del proyecto de la alianza, o indique con --project DIR la carpeta que contiene c2c.config.yaml.",
  },
  "file-unreadable": {
    message: () => "no se pudo leer el archivo.",
    fix: () => "Compruebe que existe y que se puede leer.",
  },
  "yaml-invalid": {
    message: (p) => `esto no es YAML válido: ${p.detail}`,
    fix: () => "Revise la sangría y que todas las comillas y corchetes estén cerrados.",
  },
  "path-outside-project": {
    message: (p) =>
      p.via === "path"
        ? `${q(p.value)} está fuera de la carpeta del proyecto; c2c solo lee archivos que están dentro de ella.`
        : p.via === "link"
          ? `${q(p.value)} es un enlace a ${q(p.target)}, fuera de la carpeta del proyecto; c2c solo lee archivos que están dentro de ella.`
          : p.via === "file-link"
            ? `el archivo es un enlace a ${q(p.target)}, fuera de la carpeta del proyecto; c2c solo lee archivos que están dentro de ella.`
            : `la carpeta de datos es un enlace a ${q(p.target)}, fuera de la carpeta del proyecto; c2c solo lee lo que está dentro de ella.`,
    fix: (p) =>
      p.via === "path"
        ? "Coloque el archivo dentro de la carpeta del proyecto (por ejemplo boundaries/districts.geojson) y nómbrelo con una ruta relativa a esa carpeta."
        : p.via === "data-link"
          ? "Haga de data/ una carpeta propia del proyecto, no un enlace, y mueva a ella los archivos de los socios."
          : copyInstead(),
  },
  "path-unreadable": {
    message: (p) =>
      p.what === "file"
        ? "c2c no tiene permiso para leer el archivo."
        : p.what === "data-folder"
          ? "c2c no tiene permiso para leer la carpeta de datos."
          : "c2c no tiene permiso para listar la carpeta de datos.",
    fix: () => "Dé permiso de lectura a la cuenta que ejecuta c2c.",
  },
  "path-too-large": {
    message: (p) =>
      `el archivo ocupa ${formatSizeIn(p.size, "es")}, más que los ${formatSizeIn(p.limit, "es")} que c2c lee de un archivo del proyecto.`,
    fix: () => "Compruebe que es el archivo correcto.",
  },
  "path-not-a-file": {
    message: (p) => `no se pudo leer el archivo: ${notAFile(p)}.`,
    fix: () =>
      "Ponga ahí un archivo normal (guardado o copiado, no un enlace a uno fuera del proyecto, ni una tubería ni un dispositivo).",
  },
  "path-not-a-folder": {
    message: () => "data no es una carpeta.",
    fix: () => "Haga de data/ una carpeta que contenga carpetas data/<año>/<socio>/.",
  },

  "key-unknown": {
    message: (p) =>
      `${p.keys.map(q).join(", ")} ${p.keys.length === 1 ? "no es una clave" : "no son claves"} que c2c conozca aquí.`,
    fix: () => "Revise la ortografía, o elimine la clave.",
  },
  "key-missing": {
    message: () => "falta esta clave, que es obligatoria.",
    fix: (p) => `Añádala (${typeName(p.expected)}).`,
  },
  "type-wrong": {
    message: (p) => `se esperaba ${typeName(p.expected)}, pero se encontró ${seen(p)}.`,
    fix: (p) => `Escriba aquí un valor de tipo ${typeName(p.expected)}.`,
  },
  "value-not-allowed": {
    message: (p) =>
      p.found === "none"
        ? "falta esta clave, que es obligatoria."
        : `${seen(p)} no es ninguno de estos valores: ${p.allowed.map(q).join(", ")}.`,
    fix: (p) =>
      p.found === "none" ? `Añádala (uno de ${p.allowed.map(q).join(", ")}).` : "Use uno de los valores de la lista.",
  },
  "discriminator-invalid": {
    message: (p) =>
      p.found === "none"
        ? `falta \`${p.key}\`, que dice de qué clase es esta entrada.`
        : `${seen(p)} no es un valor válido de \`${p.key}\`.`,
    fix: (p) => `Escriba \`${p.key}:\` con uno de estos valores: ${p.allowed.map(q).join(", ")}.`,
  },
  "key-invalid": {
    message: (p) => `${seen(p)} no es una clave válida en este mapa de claves.`,
    fix: () => "Revise cómo está escrita la clave.",
  },
  "value-too-small": {
    message: (p) =>
      p.origin === "string"
        ? p.value === ""
          ? "esto está vacío."
          : `${seen(p)} tiene menos de ${p.limit} caracteres.`
        : p.origin === "array"
          ? p.limit === "1"
            ? "la lista está vacía."
            : `la lista tiene menos de ${p.limit} elementos.`
          : `${seen(p)} es demasiado pequeño: debe ser ${p.exact ? "exactamente" : p.inclusive ? "al menos" : "mayor que"} ${p.limit}.`,
    fix: (p) =>
      p.origin === "string"
        ? p.limit === "1"
          ? "Escriba algún texto aquí, o elimine la clave."
          : `Escriba al menos ${p.limit} caracteres.`
        : p.origin === "array"
          ? `Indique al menos ${p.limit === "1" ? "un elemento" : `${p.limit} elementos`}.`
          : "",
  },
  "value-too-big": {
    message: (p) =>
      p.origin === "string"
        ? `${seen(p)} tiene más de ${p.limit} caracteres.`
        : p.origin === "array"
          ? `la lista tiene más de ${p.limit} elementos.`
          : `${seen(p)} es demasiado grande: debe ser ${p.exact ? "exactamente" : p.inclusive ? "como máximo" : "menor que"} ${p.limit}.`,
    fix: none,
  },
  "format-invalid": {
    message: (p) =>
      p.format === "url"
        ? `${seen(p)} no es una URL válida.`
        : p.format === "regex"
          ? `${seen(p)} no sigue el patrón ${p.pattern}.`
          : `${seen(p)} no tiene el formato ${p.format}${p.pattern ? ` (${p.pattern})` : ""}.`,
    fix: (p) => (p.format === "url" ? "Escriba una dirección completa, como https://example.org/." : ""),
  },
  "not-multiple": { message: (p) => `${seen(p)} no es múltiplo de ${p.divisor}.`, fix: none },
  "value-invalid": { message: (p) => `${seen(p)} no es válido aquí.`, fix: none },

  "id-not-kebab": {
    message: (p) => `use letras minúsculas, dígitos y guiones, p. ej. \`early-grade-reading\`${found(p)}.`,
    fix: none,
  },
  "id-not-snake": {
    message: (p) => `use letras minúsculas, dígitos y guiones bajos, p. ej. \`race_ethnicity\`${found(p)}.`,
    fix: none,
  },
  "code-field-without-vocabulary": {
    message: (p) => `un campo de tipo \`code\` necesita un \`vocabulary\`${found(p)}.`,
    fix: none,
  },
  "target-before-baseline": {
    message: (p) => `el año de la meta no puede ser anterior al año de referencia${found(p)}.`,
    fix: none,
  },
  "translation-notes-mismatch": {
    message: (p) => `las notas de una traducción deben corresponder una a una con las notas del indicador${found(p)}.`,
    fix: none,
  },
  "partial-dimension-not-listed": {
    message: (p) => `cada dimensión de \`partialDimensions\` debe estar también en \`dimensions\`${found(p)}.`,
    fix: none,
  },
  "relation-to-itself-same-year": {
    message: (p) => `una relación de un indicador consigo mismo necesita un \`yearOffset\` distinto de 0${found(p)}.`,
    fix: none,
  },
  "minimum-count-twice": {
    message: (p) =>
      `indique el recuento mínimo una sola vez: \`privacy.minimumCount\` (o el antiguo \`minimumN\`), no ambos${found(p)}.`,
    fix: none,
  },
  "minimum-count-below-floor": {
    message: (p) =>
      `un recuento mínimo inferior a ${p.floor} publicaría cifras sobre una o dos personas (1 de 1, 2 de 2), así que c2c no construye con él: use ${p.floor} o más (10 es lo habitual; 11 para datos de salud)${found(p)}.`,
    fix: none,
  },
  "coding-without-bound": {
    message: (p) =>
      `indique \`below\` (por ejemplo 0.05, que se muestra como <5%), \`above\` (por ejemplo 0.95, que se muestra como >95%), o ambos${found(p)}.`,
    fix: none,
  },
  "pattern-invalid": {
    message: (p) =>
      `${q(p.pattern)} no es una expresión regular válida (${p.detail}); escriba \\ como \\\\ entre comillas dobles, o use comillas simples${found(p)}.`,
    fix: none,
  },
  "field-source-missing": {
    message: (p) =>
      `indique de dónde viene el campo: \`column: <header>\`, \`value: <constant>\` o \`rate: <column>\` (con \`of: <count column>\`)${found(p)}.`,
    fix: none,
  },
  "field-source-several": {
    message: (p) =>
      `indique solo uno de ${p.given.map(q).join(", ")}: un campo viene de una columna, de una constante o de una tasa${found(p)}.`,
    fix: none,
  },
  "of-without-rate": {
    message: (p) => `\`of\` va con \`rate\`: escriba también \`rate: <rate column>\`${found(p)}.`,
    fix: none,
  },
  "keep-rule-needs-one": {
    message: (p) => `una regla \`keep\` necesita \`values: [...]\` o \`pattern: <regex>\` (uno de los dos)${found(p)}.`,
    fix: none,
  },
  "header-row-past-header": {
    message: (p) =>
      `headerRow ${p.headerRow} está más allá de las ${p.headerRows} filas de encabezado; ponga headerRows: ${p.headerRow} o un headerRow menor${found(p)}.`,
    fix: none,
  },
  "unpivot-without-measure": {
    message: (p) =>
      `el patrón necesita un grupo con nombre \`(?<measure>...)\` que diga qué valor contiene cada columna, p. ej. \`^(?<group>[A-Z]{3})_(?<measure>COHORT|RATE)_1415$\`${found(p)}.`,
    fix: none,
  },
  "pivot-and-unpivot": {
    message: (p) => `use \`unpivot\` o \`pivot\`, no ambos, en un mismo mapeo${found(p)}.`,
    fix: none,
  },

  "id-differs-from-file-name": {
    message: (p) => `el id ${q(p.id)} no coincide con el nombre del archivo ${q(p.base)}.`,
    fix: (p) => `Cambie el nombre del archivo a ${p.id}.yaml o cambie el id a ${q(p.base)}.`,
  },
  "indicator-id-twice": {
    message: (p) => `el id de indicador ${q(p.id)} se usa dos veces.`,
    fix: () => "Dé a cada indicador su propio id.",
  },
  "relation-unknown-indicator": {
    message: (p) => `no hay ningún indicador ${q(p.of)} con el que relacionar este.`,
    fix: (p) => useOneOf(p.ids),
  },
  "catalog-empty": {
    message: () => "el catálogo de indicadores está vacío.",
    fix: () => "Añada un archivo YAML por indicador, o elimine la carpeta para usar los indicadores de c2c.",
  },
  "field-unknown": {
    message: (p) => `${q(p.name)} no es un campo de este esquema.`,
    fix: (p) => useOneOf(p.fields),
  },
  "vocabulary-unknown": {
    message: (p) => `no hay ningún vocabulario ${q(p.vocabulary)}.`,
    fix: (p) => useOneOf(p.vocabularies),
  },
  "check-not-boolean": {
    message: (p) =>
      `${q(p.name)} es un campo de tipo ${p.type}; una comprobación \`requires\` compara dos campos de sí/no (boolean).`,
    fix: () => "Indique campos boolean, o use `type: not-greater` para comparar recuentos.",
  },
  "aggregate-group-missing": {
    message: () => "un esquema agregado con `groupDimension` necesita un campo `group`.",
    fix: () => "Indique el campo que contiene el grupo.",
  },
  "partner-id-twice": {
    message: (p) => `el id de socio ${q(p.id)} se usa dos veces.`,
    fix: () => "Dé a cada socio su propio id.",
  },
  "district-unknown": {
    message: (p) => `${q(p.district)} no es un distrito de c2c.config.yaml.`,
    fix: (p) => `Use uno de estos: ${p.districts.join(", ") || "(ninguno: añada distritos a c2c.config.yaml)"}.`,
  },
  "extract-schema-unknown": {
    message: (p) => `no hay ningún esquema de extracto ${q(p.schema)}.`,
    fix: (p) => useOneOf(p.schemas),
  },
  "precedence-unknown-partner": {
    message: (p) => `${q(p.id)} no es un socio de partners.yaml.`,
    fix: (p) => useOneOf(p.partners),
  },
  "source-kind-mismatch": {
    message: (p) =>
      `el esquema ${q(p.schema)} es de nivel ${p.kind === "record" ? "registro (record)" : "agregado (aggregate)"}, no ${p.wanted}.`,
    fix: (p) => `Escriba \`kind: ${p.kind}\`.`,
  },
  "rule-invalid": {
    message: (p) => `la regla ${q(p.rule)} no es válida: ${p.detail}.`,
    fix: () => "Las reglas comparan campos con ==, !=, <, >, in [...], y se combinan con and, or, not.",
  },
  "count-field-unknown": {
    message: (p) => `${q(p.column)} no es un campo de recuento (count) de ${q(p.schema)}.`,
    fix: (p) => useOneOf(p.counts),
  },
  "mapping-target-unknown": {
    message: (p) => `${q(p.field)} no es un campo del esquema de extracto ${q(p.schema)}.`,
    fix: (p) => `Mapee uno de sus campos: ${p.fields.join(", ")}.`,
  },
  "mapping-rate-not-count": {
    message: (p) =>
      `un recuento derivado de una tasa solo puede llenar un campo de recuento (count), y ${q(p.field)} es de tipo ${p.type}.`,
    fix: () => "Mapee la tasa a un campo de recuento (el numerador), con `of:` indicando el recuento del que es tasa.",
  },
  "mapping-required-missing": {
    message: (p) => `el mapeo no llena ${q(p.field)} (${p.title}), que el esquema ${q(p.schema)} exige.`,
    fix: (p) =>
      `Añada \`${p.field}: { column: <header> }\`, o \`${p.field}: { value: <constant> }\` si el archivo no tiene esa columna.`,
  },

  "boundaries-unreadable": {
    message: () => "no se pudo leer el archivo de límites indicado en `boundaries` de c2c.config.yaml.",
    fix: () => "Revise la ruta (es relativa a la carpeta del proyecto), o elimine `boundaries`.",
  },
  "boundaries-not-json": {
    message: () => "el archivo de límites no es JSON válido.",
    fix: () => "Guárdelo como GeoJSON desde su herramienta de mapas.",
  },
  "boundaries-not-geojson": {
    message: (p) =>
      `el archivo de límites no es una FeatureCollection GeoJSON de polígonos de distritos (${p.detail}).`,
    fix: () =>
      "Cada elemento (feature) necesita una geometría Polygon o MultiPolygon y una propiedad `id` igual al id de un distrito.",
  },
  "boundaries-unknown-district": {
    message: (p) => `${q(p.id)} no es un id de distrito de c2c.config.yaml.`,
    fix: (p) => `Use uno de estos: ${p.districts.join(", ") || "(no hay distritos configurados)"}.`,
  },
};
