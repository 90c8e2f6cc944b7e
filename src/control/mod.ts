/** Operator control: commands queued in the database, carried out by the running trader. */
export * from "./command_runner.ts";
export * from "./command_desk.ts";
export * from "./instance_control.ts";
