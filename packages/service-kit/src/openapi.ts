import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

/**
 * The service's OpenAPI document, generated from its controllers and zod DTOs: UI at /docs, JSON at
 * /openapi.json. Both are served outside the Nest router, so the auth guard does not apply.
 */
export function setupOpenApi(app: INestApplication, service: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`${service} API`)
    .setDescription(`Aftersales ${service} service. Errors are RFC 9457 application/problem+json.`)
    .setVersion('1')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  // cleanupOpenApiDoc turns nestjs-zod's placeholders into the DTOs' JSON Schemas.
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  return document;
}
