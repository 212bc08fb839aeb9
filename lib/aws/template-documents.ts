// What the CloudFormation templates share: their policy documents are the ones the portal's code
// builds, generated with a placeholder for each of the stack's choices, which CloudFormation
// substitutes (`Fn::Sub`), so a template cannot drift from the code.

// Marks that appear in no policy the functions build, so each one found is a value to substitute.
export const placeholder = (name: string) => `@@${name}@@`;
const PLACEHOLDER = /@@([\w:]+)@@/;

/** The text with each placeholder as `Fn::Sub` names it. */
function subText(value: string) {
  // `${` is CloudFormation's own syntax in Fn::Sub: a literal one (an IAM policy variable) is `${!`.
  return value.replaceAll("${", "${!").replaceAll(new RegExp(PLACEHOLDER, "g"), (_, name: string) => `\${${name}}`);
}

/** The document with every placeholder turned into what CloudFormation substitutes. */
export function substituted(value: unknown): unknown {
  if (typeof value === "string") {
    const whole = new RegExp(`^${PLACEHOLDER.source}$`).exec(value);
    if (whole) return ref(whole[1]!);
    return PLACEHOLDER.test(value) ? { "Fn::Sub": subText(value) } : value;
  }
  if (Array.isArray(value)) return value.map(substituted);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        // No intrinsic function reaches an object's key: such a document goes as a string instead.
        if (PLACEHOLDER.test(k)) throw new Error(`A placeholder in the key ${k}: substitute the document with substitutedJson`);
        return [k, substituted(v)];
      }),
    );
  }
  return value;
}

/**
 * The document as one JSON string CloudFormation substitutes, for a document whose keys hold
 * placeholders (IAM condition keys named after an OIDC provider): a policy property takes a JSON
 * string as well as an object.
 */
export function substitutedJson(document: object) {
  return { "Fn::Sub": subText(JSON.stringify(document)) };
}

export const ref = (name: string) => ({ Ref: name });
export const notEmpty = (parameter: string) => ({ "Fn::Not": [{ "Fn::Equals": [ref(parameter), ""] }] });

export const IAM_PATH_PARAMETER = {
  Type: "String",
  Default: "/pullgate/",
  AllowedPattern: "^/([\\w+=,.@-]+/)*$",
  Description: "The portal's PULLGATE_IAM_PATH: the IAM path of customer users, of the policies and of the portal's roles",
};

export const REGISTRY_ROLE_NAME_PARAMETER = {
  Type: "String",
  Default: "pullgate-registry",
  AllowedPattern: "^[\\w+=,.@-]{1,64}$",
  Description: "The role each other account holding repositories gives the portal (PULLGATE_REGISTRY_ROLE_NAME)",
};
