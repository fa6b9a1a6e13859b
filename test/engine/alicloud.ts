// `alicloud:ecs/instance:Instance` (from @pulumi/alicloud) for the local engine: the same stand-in for the
// bridged provider that the real CLI loads as the `pulumi-resource-alicloud` plugin double (test/alicloud),
// so a program that declares renewal next to its instance runs end to end, in the ECS emulator.
import { alicloudConfig, instanceResource, type InstanceContext } from "../alicloud/instance";
import type { HandlerContext, ResourceHandler } from "./handlers";

const context = (ctx: HandlerContext): InstanceContext => ({ config: alicloudConfig(ctx.config), env: ctx.env });

export const ecsInstanceHandler: ResourceHandler = {
  check: async (olds, news) => instanceResource.check(olds, news),
  diff: async (_id, olds, news) => instanceResource.diff(olds, news),
  create: (inputs, ctx) => instanceResource.create(inputs, context(ctx)),
  read: (id, outputs, ctx) => instanceResource.read(id, outputs, context(ctx)),
  update: (id, olds, news, ctx) => instanceResource.update(id, olds, news, context(ctx)),
  delete: (id, _outputs, ctx) => instanceResource.delete(id, context(ctx)),
};
